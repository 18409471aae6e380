using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>
/// A record reserved in a user ring buffer by <see cref="UserRingBufferWriter.TryReserve"/>: fill <see cref="Data"/>,
/// then hand it to <see cref="UserRingBufferWriter.Submit"/> or <see cref="UserRingBufferWriter.Discard"/>. Until
/// then the kernel sees the record as busy and drains nothing after it.
/// </summary>
public readonly unsafe ref struct UserRingBufferReservation
{
    readonly uint* header;

    internal UserRingBufferReservation(uint* header, int length)
    {
        this.header = header;
        Length = length;
    }

    /// <summary>The record's bytes, in the ring (8-byte aligned). Valid until submitted or discarded.</summary>
    public Span<byte> Data => header == null ? default : new Span<byte>(header + 2, Length);

    /// <summary>The record size asked for.</summary>
    public int Length { get; }

    /// <summary>True for a default value that reserves nothing.</summary>
    public bool IsEmpty => header == null;

    /// <summary>The first <c>sizeof(T)</c> bytes of <see cref="Data"/> as a writable <typeparamref name="T"/>.</summary>
    public ref T As<T>() where T : unmanaged
    {
        if (header == null) throw new InvalidOperationException("this reservation is empty (default): reserve a record first.");
        if (Length < Unsafe.SizeOf<T>())
            throw new InvalidOperationException($"the reserved record has {Length} bytes, fewer than {typeof(T).Name} needs ({Unsafe.SizeOf<T>()}).");
        return ref Unsafe.As<byte, T>(ref MemoryMarshal.GetReference(Data));
    }

    internal uint* Header => header;
}
