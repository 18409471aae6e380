using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>
/// The 8-byte header every tracepoint record starts with (<c>struct trace_entry</c>). Make it the first field of the
/// struct describing a tracepoint's format; the fields after it follow the offsets in
/// <c>/sys/kernel/tracing/events/CATEGORY/NAME/format</c>.
/// </summary>
[KernelStruct("trace_entry"), StructLayout(LayoutKind.Sequential)]
public struct TracepointCommon
{
    /// <summary>The event type id.</summary>
    public ushort Type;
    /// <summary>Trace flags.</summary>
    public byte Flags;
    /// <summary>Preemption count when the event fired.</summary>
    public byte PreemptCount;
    /// <summary>The pid of the task that fired it.</summary>
    public int Pid;
}

/// <summary>
/// The arguments of raw tracepoint, tp_btf, fentry and fexit programs: an array of 64-bit values (<c>u64 args[]</c>;
/// fexit has the return value after the arguments). Take <c>ref TracingArgs</c> or <c>TracingArgs*</c>; read
/// arguments with constant indexes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct TracingArgs
{
    readonly ulong first;

    /// <summary>Argument <paramref name="index"/> (a constant) as a 64-bit value.</summary>
    public readonly ulong Arg(int index) => Unsafe.Add(ref Unsafe.AsRef(in first), index);

    /// <summary>Argument <paramref name="index"/> as a pointer (a kernel address; read through it with a probe-read helper or, in tp_btf/fentry, directly).</summary>
    public readonly void* ArgPointer(int index) => (void*)Unsafe.Add(ref Unsafe.AsRef(in first), index);
}

/// <summary>
/// The registers at a kprobe or uprobe (<c>struct pt_regs</c>, x86-64 layout). Arguments of the probed function are
/// in <see cref="Di"/>, <see cref="Si"/>, <see cref="Dx"/>, <see cref="Cx"/>, <see cref="R8"/>, <see cref="R9"/>; the
/// return value (kretprobe) in <see cref="Ax"/>.
/// </summary>
[KernelStruct("pt_regs"), StructLayout(LayoutKind.Sequential)]
public struct PtRegs
{
    public ulong R15, R14, R13, R12, Bp, Bx, R11, R10, R9, R8, Ax, Cx, Dx, Si, Di, OrigAx, Ip, Cs, Flags, Sp, Ss;

    /// <summary>The first argument of the probed function (System V x86-64 calling convention).</summary>
    public readonly ulong Arg1 => Di;
    /// <summary>The second argument.</summary>
    public readonly ulong Arg2 => Si;
    /// <summary>The third argument.</summary>
    public readonly ulong Arg3 => Dx;
    /// <summary>The fourth argument.</summary>
    public readonly ulong Arg4 => Cx;
    /// <summary>The fifth argument.</summary>
    public readonly ulong Arg5 => R8;
    /// <summary>The sixth argument.</summary>
    public readonly ulong Arg6 => R9;
    /// <summary>The return value (kretprobe, uretprobe).</summary>
    public readonly ulong ReturnValue => Ax;
}
