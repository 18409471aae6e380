using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Programs;

/// <summary>Inputs of BPF_PROG_TEST_RUN. Spans, so a run allocates nothing.</summary>
public ref struct TestRunOptions
{
    /// <summary>The packet (or other data) the program sees.</summary>
    public ReadOnlySpan<byte> Data;
    /// <summary>Where the (possibly modified) data is copied back; empty: not copied.</summary>
    public Span<byte> DataOut;
    /// <summary>The context (e.g. a <c>__sk_buff</c> or syscall arguments).</summary>
    public ReadOnlySpan<byte> Context;
    /// <summary>Where the context is copied back; empty: not copied.</summary>
    public Span<byte> ContextOut;
    /// <summary>How many times to run (0 or 1: once); the duration is the average.</summary>
    public uint Repeat;
    public TestRunFlags Flags;
    /// <summary>The CPU to run on, with <see cref="TestRunFlags.RunOnCpu"/>.</summary>
    public uint Cpu;
    /// <summary>For XDP live frames: packets per batch.</summary>
    public uint BatchSize;
}

/// <summary>What a test run returned: the program's return value, the mean duration per run, and how many bytes came back.</summary>
public readonly record struct TestRunResult(uint ReturnValue, uint DurationNs, int DataOutLength, int ContextOutLength);

public sealed unsafe partial class BpfProgram
{
    /// <summary>Runs the program in the kernel on the given input (BPF_PROG_TEST_RUN).</summary>
    public TestRunResult TestRun(scoped in TestRunOptions options)
    {
        fixed (byte* dataIn = options.Data)
        fixed (byte* dataOut = options.DataOut)
        fixed (byte* ctxIn = options.Context)
        fixed (byte* ctxOut = options.ContextOut)
        {
            using FdLease lease = Fd.Lease();
            var attr = new TestRunAttr
            {
                ProgFd = lease.UFd,
                DataIn = (ulong)dataIn,
                DataSizeIn = (uint)options.Data.Length,
                DataOut = (ulong)dataOut,
                DataSizeOut = (uint)options.DataOut.Length,
                CtxIn = (ulong)ctxIn,
                CtxSizeIn = (uint)options.Context.Length,
                CtxOut = (ulong)ctxOut,
                CtxSizeOut = (uint)options.ContextOut.Length,
                Repeat = options.Repeat,
                Flags = (uint)options.Flags,
                Cpu = options.Cpu,
                BatchSize = options.BatchSize,
            };
            int r = BpfSyscall.Invoke(Fd.Syscalls, BpfCommand.ProgTestRun, ref attr);
            if (r < 0)
                throw new BpfSyscallException(BpfCommand.ProgTestRun, -r, $"test run of {this}", r == -28
                    ? $"ENOSPC here means an output buffer is too small: the program produced {attr.DataSizeOut} bytes of data and {attr.CtxSizeOut} of context."
                    : null);
            return new TestRunResult(attr.Retval, attr.Duration, (int)attr.DataSizeOut, (int)attr.CtxSizeOut);
        }
    }

    /// <summary>Runs the program once on <paramref name="data"/> and returns its return value.</summary>
    public uint TestRun(ReadOnlySpan<byte> data) => TestRun(new TestRunOptions { Data = data }).ReturnValue;
}
