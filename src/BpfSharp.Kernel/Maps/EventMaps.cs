using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

/// <summary>Per-CPU perf ring buffers (<c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>); user space opens one perf event per CPU.</summary>
[BpfMapType(4, UInt32KeyAndValue = true)]
public sealed unsafe class PerfEventArray : BpfMap
{
    internal PerfEventArray() { }

    /// <summary>Writes <paramref name="data"/> to the current CPU's buffer (or the one <paramref name="flags"/> selects); 0 or a negative errno.</summary>
    public long Output<T>(void* ctx, in T data, PerfEventFlags flags = PerfEventFlags.CurrentCpu) where T : unmanaged =>
        Helpers.PerfEventOutput(ctx, this, (ulong)flags, Unsafe.AsPointer(ref Unsafe.AsRef(in data)), (ulong)sizeof(T));

    /// <summary>As <see cref="Output{T}(void*, in T, PerfEventFlags)"/> with the context passed by reference.</summary>
    public long Output<TContext, T>(ref TContext ctx, in T data, PerfEventFlags flags = PerfEventFlags.CurrentCpu)
        where TContext : unmanaged where T : unmanaged =>
        Helpers.PerfEventOutput(Unsafe.AsPointer(ref ctx), this, (ulong)flags, Unsafe.AsPointer(ref Unsafe.AsRef(in data)), (ulong)sizeof(T));
}

/// <summary>Stack traces collected by <c>bpf_get_stackid</c> (<c>BPF_MAP_TYPE_STACK_TRACE</c>): id → <typeparamref name="TStack"/>, an array of addresses such as <see cref="StackTrace"/>.</summary>
[BpfMapType(7)]
public sealed unsafe class StackTraceMap<TStack> : BpfMap where TStack : unmanaged
{
    internal StackTraceMap() { }

    /// <summary>Stores the current stack and returns its id (≥ 0) or a negative errno.</summary>
    public long GetStackId(void* ctx, StackIdFlags flags = StackIdFlags.None) => Helpers.GetStackId(ctx, this, (ulong)flags);

    /// <summary>As <see cref="GetStackId(void*, StackIdFlags)"/> with the context passed by reference.</summary>
    public long GetStackId<TContext>(ref TContext ctx, StackIdFlags flags = StackIdFlags.None) where TContext : unmanaged =>
        Helpers.GetStackId(Unsafe.AsPointer(ref ctx), this, (ulong)flags);
}

/// <summary>127 return addresses (<c>PERF_MAX_STACK_DEPTH</c>): the usual value of a <see cref="StackTraceMap{TStack}"/>.</summary>
[InlineArray(127)]
public struct StackTrace
{
    ulong _address;
}
