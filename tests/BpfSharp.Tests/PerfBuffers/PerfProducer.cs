using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>
/// The kernel side of the perf buffer tests: a perf event array, and programs that write records into it with
/// bpf_perf_event_output(ctx, events, BPF_F_CURRENT_CPU, buffer, size). A record is the first `size` bytes of a
/// per-CPU buffer: a per-CPU sequence number (u64, 1, 2, 3 … counted per attempt, so a gap of k means k records the
/// kernel dropped) followed by <see cref="Pattern"/>. Each attempt also counts itself in <see cref="Counters"/>:
/// [0] written, [1] refused by bpf_perf_event_output.
/// </summary>
sealed class PerfProducer : IDisposable
{
    public const int MaxRecord = 4096;
    const int BpfFCurrentCpu = -1; // 0xffffffff once moved as 32 bits

    readonly BpfMap scratch;
    BpfProgram? rawTp;
    readonly Dictionary<int, BpfProgram> socketFilters = [];

    public PerfProducer(string name)
    {
        Events = BpfMap.Create(new MapSpec
        {
            Type = BpfMapType.PerfEventArray, KeySize = 4, ValueSize = 4, MaxEntries = (uint)PossibleCpus.Count, Name = name,
        });
        scratch = BpfMap.Create(new MapSpec { Type = BpfMapType.PerCpuArray, KeySize = 4, ValueSize = MaxRecord, MaxEntries = 1 });
        Counters = ArrayMap<ulong>.Create(2);
        ResetBuffers();
    }

    public BpfMap Events { get; }

    public ArrayMap<ulong> Counters { get; }

    public ulong Written => Counters[0];

    public ulong Refused => Counters[1];

    public static byte Pattern(int offset) => (byte)(offset * 31 + 7);

    /// <summary>What a sample of a <paramref name="size"/>-byte output looks like to the reader: the kernel pads u32 size + data to 8 bytes.</summary>
    public static int RawSize(int size) => (size + 4 + 7) / 8 * 8 - 4;

    /// <summary>Sequence numbers restart at 1 on every CPU.</summary>
    public void ResetBuffers()
    {
        int slot = MaxRecord;
        var value = new byte[slot * PossibleCpus.Count];
        for (int cpu = 0; cpu < PossibleCpus.Count; cpu++)
            for (int i = 8; i < slot; i++) value[cpu * slot + i] = Pattern(i);
        scratch.Update(stackalloc byte[4], value);
    }

    /// <summary>Runs the raw_tp producer once on <paramref name="cpu"/> (BPF_F_TEST_RUN_ON_CPU): one record of <paramref name="size"/> bytes. Returns bpf_perf_event_output's result.</summary>
    public int Emit(int cpu, int size)
    {
        rawTp ??= LoadRawTracepointProducer();
        Span<byte> context = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(context, (ulong)size);
        return (int)rawTp.TestRun(new TestRunOptions { Context = context, Flags = TestRunFlags.RunOnCpu, Cpu = (uint)cpu }).ReturnValue;
    }

    /// <summary>Emits <paramref name="count"/> records on <paramref name="cpu"/>; returns how many bpf_perf_event_output accepted.</summary>
    public int Emit(int cpu, int size, int count)
    {
        int written = 0;
        for (int i = 0; i < count; i++)
            if (Emit(cpu, size) == 0) written++;
        return written;
    }

    /// <summary>
    /// Runs a socket filter producer <paramref name="repeat"/> times in one BPF_PROG_TEST_RUN: that many records of
    /// <paramref name="size"/> bytes, as fast as the kernel goes, on whichever CPU runs the calling thread.
    /// </summary>
    public void Burst(int size, uint repeat)
    {
        if (!socketFilters.TryGetValue(size, out BpfProgram? program))
            socketFilters[size] = program = LoadSocketFilterProducer(size);
        program.TestRun(new TestRunOptions { Data = new byte[64], Repeat = repeat });
    }

    BpfProgram LoadRawTracepointProducer() => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.RawTracepoint,
        Name = "perf_producer",
        Instructions = Body(new Assembler()
            .Mov(R6, R1)
            .Load(MemorySize.DoubleWord, R8, R6, 0)                 // size = ctx[0]
            .JumpIf(JumpOp.Greater, R8, MaxRecord, "refuse"), R8)
            .Label("refuse").Mov(R0, -22).Exit()
            .Build(),
    });

    BpfProgram LoadSocketFilterProducer(int size) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.SocketFilter,
        Name = "perf_burst",
        Instructions = Body(new Assembler().Mov(R6, R1).Mov(R8, size), R8).Build(),
    });

    /// <summary>With the context in r6 and the size in <paramref name="size"/>: stamp, output, count, return the result.</summary>
    Assembler Body(Assembler a, Register size) => a
        .StoreImmediate(MemorySize.Word, R10, -4, 0)
        .LoadMapFd(R1, scratch.Fd.RawValue)
        .Mov(R2, R10).Add(R2, -4)
        .Call((int)BpfHelperId.MapLookupElem)
        .JumpIf(JumpOp.Equal, R0, 0, "nobuffer")
        .Mov(R9, R0)
        .Load(MemorySize.DoubleWord, R7, R9, 0)
        .Add(R7, 1)
        .Store(MemorySize.DoubleWord, R9, 0, R7)                   // seq += 1 for every attempt
        .Mov(R1, R6)
        .LoadMapFd(R2, Events.Fd.RawValue)
        .Emit(Instruction.Mov32(R3, BpfFCurrentCpu))
        .Mov(R4, R9)
        .Mov(R5, size)
        .Call((int)BpfHelperId.PerfEventOutput)
        .Mov(R7, R0)
        .StoreImmediate(MemorySize.Word, R10, -8, 0)
        .JumpIf(JumpOp.Equal, R7, 0, "count")
        .StoreImmediate(MemorySize.Word, R10, -8, 1)
        .Label("count")
        .LoadMapFd(R1, Counters.Map.Fd.RawValue)
        .Mov(R2, R10).Add(R2, -8)
        .Call((int)BpfHelperId.MapLookupElem)
        .JumpIf(JumpOp.Equal, R0, 0, "result")
        .Mov(R1, 1)
        .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R1)
        .Label("result")
        .Mov(R0, R7)
        .Exit()
        .Label("nobuffer").Mov(R0, -3).Exit();

    public void Dispose()
    {
        rawTp?.Dispose();
        foreach (BpfProgram p in socketFilters.Values) p.Dispose();
        Counters.Dispose();
        scratch.Dispose();
        Events.Dispose();
    }
}

/// <summary>Checks samples as they arrive: sizes, sequence per CPU (gaps = drops), pattern bytes.</summary>
sealed class SampleChecker
{
    readonly Dictionary<int, ulong> lastSeq = [];
    readonly Dictionary<int, ulong> gaps = [];

    public int Samples { get; private set; }

    public long Bytes { get; private set; }

    public List<string> Errors { get; } = [];

    /// <summary>Records dropped on <paramref name="cpu"/> according to the sequence gaps.</summary>
    public ulong GapsOn(int cpu) => gaps.GetValueOrDefault(cpu);

    public ulong LastSeqOn(int cpu) => lastSeq.GetValueOrDefault(cpu);

    /// <summary>Checks one sample of a <paramref name="size"/>-byte output (null: any size of the raw_tp producer's).</summary>
    public void Check(int cpu, ReadOnlySpan<byte> data, int? size = null)
    {
        Samples++;
        Bytes += data.Length;
        if (data.Length < 8) { Errors.Add($"cpu {cpu}: a {data.Length}-byte sample"); return; }
        if (size is int s && data.Length != PerfProducer.RawSize(s))
            Errors.Add($"cpu {cpu}: sample of {data.Length} bytes, expected {PerfProducer.RawSize(s)} for {s}");
        ulong seq = MemoryMarshal.Read<ulong>(data);
        ulong previous = lastSeq.GetValueOrDefault(cpu);
        if (seq <= previous) Errors.Add($"cpu {cpu}: seq {seq} after {previous}");
        else gaps[cpu] = gaps.GetValueOrDefault(cpu) + (seq - previous - 1);
        lastSeq[cpu] = seq;
        int checkedLength = size is int n ? Math.Min(n, data.Length) : data.Length - 7; // up to 7 bytes may be the kernel's padding
        for (int i = 8; i < checkedLength; i++)
            if (data[i] != PerfProducer.Pattern(i))
            {
                Errors.Add($"cpu {cpu} seq {seq}: byte {i} is {data[i]}, expected {PerfProducer.Pattern(i)}");
                return;
            }
    }

    public void AssertClean() => Assert.True(Errors.Count == 0, string.Join(Environment.NewLine, Errors.Take(20)));
}
