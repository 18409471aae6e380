using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

/// <summary>Programs to tail-call into, by index (<c>BPF_MAP_TYPE_PROG_ARRAY</c>); user space stores program fds.</summary>
[BpfMapType(3, UInt32KeyAndValue = true)]
public sealed unsafe class ProgramArray : BpfMap
{
    internal ProgramArray() { }

    /// <summary>
    /// Jumps to the program at <paramref name="index"/>, never returning when it exists; returns a negative errno
    /// when the slot is empty or the tail-call limit (33) is reached, and the caller goes on.
    /// </summary>
    public long TailCall(void* ctx, uint index) => Helpers.TailCall(ctx, this, index);

    /// <summary>As <see cref="TailCall(void*, uint)"/> with the context passed by reference.</summary>
    public long TailCall<TContext>(ref TContext ctx, uint index) where TContext : unmanaged =>
        Helpers.TailCall(Unsafe.AsPointer(ref ctx), this, index);
}

/// <summary>Interfaces to redirect XDP frames to (<c>BPF_MAP_TYPE_DEVMAP</c>): index → ifindex.</summary>
[BpfMapType(14, UInt32KeyAndValue = true)]
public sealed class DevMap : BpfMap
{
    internal DevMap() { }

    /// <summary>Redirects the frame to the interface at <paramref name="index"/>; returns the XDP action (REDIRECT, or the low bits of <paramref name="flags"/> on failure).</summary>
    public long Redirect(uint index, ulong flags = 0) => Helpers.RedirectMap(this, index, flags);
}

/// <summary>CPUs to redirect XDP frames to (<c>BPF_MAP_TYPE_CPUMAP</c>): cpu → queue size.</summary>
[BpfMapType(16, UInt32KeyAndValue = true)]
public sealed class CpuMap : BpfMap
{
    internal CpuMap() { }

    /// <summary>Redirects the frame to CPU <paramref name="cpu"/>; returns the XDP action.</summary>
    public long Redirect(uint cpu, ulong flags = 0) => Helpers.RedirectMap(this, cpu, flags);
}

/// <summary>AF_XDP sockets by receive queue (<c>BPF_MAP_TYPE_XSKMAP</c>): queue → socket fd.</summary>
[BpfMapType(17, UInt32KeyAndValue = true)]
public sealed class XskMap : BpfMap
{
    internal XskMap() { }

    /// <summary>Redirects the frame to the AF_XDP socket at <paramref name="queue"/>; returns the XDP action.</summary>
    public long Redirect(uint queue, ulong flags = 0) => Helpers.RedirectMap(this, queue, flags);
}

/// <summary>A FIFO queue of <typeparamref name="TValue"/> (<c>BPF_MAP_TYPE_QUEUE</c>; no key).</summary>
[BpfMapType(22, NoKey = true)]
public sealed unsafe class QueueMap<TValue> : BpfMap where TValue : unmanaged
{
    internal QueueMap() { }

    /// <summary>Appends <paramref name="value"/>; with <see cref="MapUpdateFlags.Exist"/> a full queue drops its oldest. 0 or a negative errno.</summary>
    public long Push(in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Helpers.MapPushElem(this, Unsafe.AsPointer(ref Unsafe.AsRef(in value)), (ulong)flags);

    /// <summary>Removes the oldest value into <paramref name="value"/>; 0, or -ENOENT when empty.</summary>
    public long Pop(ref TValue value) => Helpers.MapPopElem(this, Unsafe.AsPointer(ref value));

    /// <summary>Copies the oldest value into <paramref name="value"/> without removing it; 0, or -ENOENT when empty.</summary>
    public long Peek(ref TValue value) => Helpers.MapPeekElem(this, Unsafe.AsPointer(ref value));
}

/// <summary>A LIFO stack of <typeparamref name="TValue"/> (<c>BPF_MAP_TYPE_STACK</c>; no key).</summary>
[BpfMapType(23, NoKey = true)]
public sealed unsafe class StackMap<TValue> : BpfMap where TValue : unmanaged
{
    internal StackMap() { }

    /// <summary>Pushes <paramref name="value"/>; with <see cref="MapUpdateFlags.Exist"/> a full stack drops its oldest. 0 or a negative errno.</summary>
    public long Push(in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Helpers.MapPushElem(this, Unsafe.AsPointer(ref Unsafe.AsRef(in value)), (ulong)flags);

    /// <summary>Removes the newest value into <paramref name="value"/>; 0, or -ENOENT when empty.</summary>
    public long Pop(ref TValue value) => Helpers.MapPopElem(this, Unsafe.AsPointer(ref value));

    /// <summary>Copies the newest value into <paramref name="value"/> without removing it; 0, or -ENOENT when empty.</summary>
    public long Peek(ref TValue value) => Helpers.MapPeekElem(this, Unsafe.AsPointer(ref value));
}
