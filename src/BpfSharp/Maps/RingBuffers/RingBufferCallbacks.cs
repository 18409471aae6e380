namespace BpfSharp.Maps.RingBuffers;

/// <summary>
/// Receives one ring buffer record, in place: <paramref name="record"/> points into the ring and is valid only during
/// the call (copy what must outlive it). Return true to go on, false to stop after this record (it stays consumed),
/// like a negative return from a libbpf sample callback.
/// </summary>
public delegate bool RingBufferCallback(ReadOnlySpan<byte> record);

/// <summary>
/// Receives one ring buffer record as a <typeparamref name="T"/>, read in place from the ring (valid only during the
/// call). Return true to go on, false to stop after this record.
/// </summary>
public delegate bool RingBufferRecordCallback<T>(in T record) where T : unmanaged;

/// <summary>
/// A record handler that needs no delegate: pass a struct (or ref struct) by reference to
/// <see cref="RingBufferReader.Consume{THandler}(ref THandler)"/> and its <see cref="OnRecord"/> is called directly,
/// inlinable, with its state updated in place.
/// </summary>
public interface IRingBufferHandler
{
    /// <summary>See <see cref="RingBufferCallback"/>: the record in place; false stops after it.</summary>
    bool OnRecord(ReadOnlySpan<byte> record);
}

/// <summary>The typed form of <see cref="IRingBufferHandler"/>: each record viewed as a <typeparamref name="T"/>.</summary>
public interface IRingBufferRecordHandler<T> where T : unmanaged
{
    /// <summary>See <see cref="RingBufferRecordCallback{T}"/>.</summary>
    bool OnRecord(in T record);
}
