using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

/// <summary>
/// A ring buffer shared with user space (<c>BPF_MAP_TYPE_RINGBUF</c>); <see cref="MapAttribute.MaxEntries"/> is its size in
/// bytes (a power of two, a multiple of the page size). Records are reserved, filled in place and submitted.
/// </summary>
[BpfMapType(27)]
public sealed unsafe class RingBuf : BpfMap
{
    internal RingBuf() { }

    /// <summary>
    /// Reserves a record of <c>sizeof(T)</c> bytes; a null ref when the ring is full. A reserved record must be
    /// submitted or discarded on every path (the verifier checks).
    /// </summary>
    public ref T Reserve<T>() where T : unmanaged =>
        ref Unsafe.AsRef<T>(Helpers.RingBufReserve(this, (ulong)sizeof(T), 0));

    /// <summary>Publishes a record from <see cref="Reserve{T}"/>.</summary>
    public void Submit<T>(ref T record, RingBufFlags flags = RingBufFlags.None) where T : unmanaged =>
        Helpers.RingBufSubmit(Unsafe.AsPointer(ref record), (ulong)flags);

    /// <summary>Drops a record from <see cref="Reserve{T}"/>.</summary>
    public void Discard<T>(ref T record, RingBufFlags flags = RingBufFlags.None) where T : unmanaged =>
        Helpers.RingBufDiscard(Unsafe.AsPointer(ref record), (ulong)flags);

    /// <summary>Copies <paramref name="data"/> into a new record (reserve + copy + submit); 0 or a negative errno.</summary>
    public long Output<T>(in T data, RingBufFlags flags = RingBufFlags.None) where T : unmanaged =>
        Helpers.RingBufOutput(this, Unsafe.AsPointer(ref Unsafe.AsRef(in data)), (ulong)sizeof(T), (ulong)flags);

    /// <summary>A position or size of the ring (approximate while others write).</summary>
    public ulong Query(RingBufQuery what) => Helpers.RingBufQuery(this, (ulong)what);
}
