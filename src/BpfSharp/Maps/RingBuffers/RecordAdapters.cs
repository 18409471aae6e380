using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Maps.RingBuffers;

// The public callback shapes, each adapted to the one handler shape the consume loop is generic over, so every
// path is the same inlined loop.

readonly struct CallbackAdapter(RingBufferCallback callback) : IRingBufferHandler
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnRecord(ReadOnlySpan<byte> record) => callback(record);
}

readonly struct RecordCallbackAdapter<T>(RingBufferRecordCallback<T> callback) : IRingBufferHandler where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnRecord(ReadOnlySpan<byte> record) => callback(in RecordAdapter.View<T>(record));
}

ref struct RecordHandlerAdapter<T, THandler>(THandler inner) : IRingBufferHandler
    where T : unmanaged
    where THandler : IRingBufferRecordHandler<T>, allows ref struct
{
    public THandler Inner = inner;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnRecord(ReadOnlySpan<byte> record) => Inner.OnRecord(in RecordAdapter.View<T>(record));
}

/// <summary>Copies one record out and stops: the single-record read behind TryRead and ReadAllAsync.</summary>
struct CopyOneAdapter<T> : IRingBufferHandler where T : unmanaged
{
    public T Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool OnRecord(ReadOnlySpan<byte> record)
    {
        Value = RecordAdapter.View<T>(record);
        return false;
    }
}

static class RecordAdapter
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref readonly T View<T>(ReadOnlySpan<byte> record) where T : unmanaged
    {
        if (record.Length < Unsafe.SizeOf<T>()) RingBufferRecord.ThrowTooSmall<T>(record.Length, consumed: true);
        return ref Unsafe.As<byte, T>(ref MemoryMarshal.GetReference(record));
    }
}
