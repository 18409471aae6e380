using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Layout;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>Typed views of a ring buffer record. Records start 8-byte aligned in the ring, so any valid record type fits.</summary>
public static class RingBufferRecord
{
    /// <summary>
    /// The record's first <c>sizeof(T)</c> bytes as a <typeparamref name="T"/>, in place (no copy). Throws
    /// <see cref="InvalidDataException"/> when the record is shorter than <typeparamref name="T"/>; a longer record is
    /// allowed (a fixed header followed by variable data).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref readonly T As<T>(ReadOnlySpan<byte> record) where T : unmanaged
    {
        if (record.Length < Unsafe.SizeOf<T>()) ThrowTooSmall<T>(record.Length, consumed: false);
        return ref Unsafe.As<byte, T>(ref MemoryMarshal.GetReference(record));
    }

    /// <summary>The record as whole <typeparamref name="T"/> elements, in place; trailing bytes that do not fill an element are left out.</summary>
    public static ReadOnlySpan<T> Cast<T>(ReadOnlySpan<byte> record) where T : unmanaged => MemoryMarshal.Cast<byte, T>(record);

    /// <summary>The layout rules of map values apply to records too (alignment ≤ 8 above all): checked once per type.</summary>
    internal static void Validate<T>() where T : unmanaged => MapTypeRules.Validate<T>(MapTypeRole.Value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowTooSmall<T>(int length, bool consumed) =>
        throw new InvalidDataException(
            $"a ring buffer record of {length} bytes is smaller than {typeof(T).Name} ({Unsafe.SizeOf<T>()} bytes): the BPF program " +
            "writes a different (or older) record type. Fix the record type, or read the record as bytes with a RingBufferCallback." +
            (consumed ? " The record was consumed; the next call goes on with the record after it." : ""));
}
