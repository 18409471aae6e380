using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps;

public sealed unsafe partial class BpfMap
{
    /// <summary>
    /// Reads the next batch of up to <c>keys.Length / KeySize</c> entries (BPF_MAP_LOOKUP_BATCH); returns how many
    /// were read. Call again with the same cursor until <see cref="MapBatchCursor.Done"/>.
    /// </summary>
    public int LookupBatch(MapBatchCursor cursor, Span<byte> keys, Span<byte> values, MapUpdateFlags elementFlags = MapUpdateFlags.Any) =>
        BatchRead(BpfCommand.MapLookupBatch, cursor, keys, values, elementFlags);

    /// <summary>Like <see cref="LookupBatch"/>, and deletes what it read (BPF_MAP_LOOKUP_AND_DELETE_BATCH).</summary>
    public int LookupAndDeleteBatch(MapBatchCursor cursor, Span<byte> keys, Span<byte> values, MapUpdateFlags elementFlags = MapUpdateFlags.Any) =>
        BatchRead(BpfCommand.MapLookupAndDeleteBatch, cursor, keys, values, elementFlags);

    /// <summary>Writes <c>keys.Length / KeySize</c> entries in one call (BPF_MAP_UPDATE_BATCH); returns how many were written.</summary>
    public int UpdateBatch(ReadOnlySpan<byte> keys, ReadOnlySpan<byte> values, MapUpdateFlags elementFlags = MapUpdateFlags.Any)
    {
        uint count = BatchCount(keys.Length, values.Length, requireEqual: true);
        fixed (byte* k = keys)
        fixed (byte* v = values)
            return BatchWrite(BpfCommand.MapUpdateBatch, k, v, count, elementFlags);
    }

    /// <summary>Deletes the given keys in one call (BPF_MAP_DELETE_BATCH); returns how many were deleted.</summary>
    public int DeleteBatch(ReadOnlySpan<byte> keys)
    {
        if (KeySize == 0 || keys.Length % KeySize != 0)
            throw new ArgumentException($"the key buffer has {keys.Length} bytes, not a multiple of map '{Name}''s {KeySize}-byte keys.", nameof(keys));
        fixed (byte* k = keys)
            return BatchWrite(BpfCommand.MapDeleteBatch, k, null, (uint)(keys.Length / KeySize), MapUpdateFlags.Any);
    }

    int BatchRead(BpfCommand command, MapBatchCursor cursor, Span<byte> keys, Span<byte> values, MapUpdateFlags elementFlags)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (cursor.Done) return 0;
        uint count = BatchCount(keys.Length, values.Length, requireEqual: false);
        if (cursor.InToken.Length < KeySize)
            throw new ArgumentException($"the cursor was made for smaller keys than map '{Name}''s {KeySize} bytes: use new MapBatchCursor(map.KeySize).", nameof(cursor));
        fixed (byte* k = keys)
        fixed (byte* v = values)
        fixed (byte* inToken = cursor.InToken)
        fixed (byte* outToken = cursor.OutToken)
        {
            using FdLease lease = Fd.Lease();
            var attr = new MapBatchAttr
            {
                InBatch = cursor.Started ? (ulong)inToken : 0,
                OutBatch = (ulong)outToken,
                Keys = (ulong)k,
                Values = (ulong)v,
                Count = count,
                MapFd = lease.UFd,
                ElemFlags = (ulong)elementFlags,
            };
            int r = BpfSyscall.Invoke(Syscalls, command, ref attr);
            if (r == -ENOENT)
                cursor.Done = true;
            else if (r < 0)
                throw new BpfSyscallException(command, -r, $"map '{Name}' {Type}, batch of {count}",
                    r == -28 ? "ENOSPC here means one hash bucket holds more entries than the batch size: use a larger batch." : null);
            cursor.Started = true;
            cursor.OutToken.CopyTo(cursor.InToken, 0);
            return (int)attr.Count;
        }
    }

    int BatchWrite(BpfCommand command, byte* keys, byte* values, uint count, MapUpdateFlags elementFlags)
    {
        using FdLease lease = Fd.Lease();
        var attr = new MapBatchAttr { Keys = (ulong)keys, Values = (ulong)values, Count = count, MapFd = lease.UFd, ElemFlags = (ulong)elementFlags };
        int r = BpfSyscall.Invoke(Syscalls, command, ref attr);
        if (r < 0)
            throw new BpfSyscallException(command, -r, $"map '{Name}' {Type}, {attr.Count} of {count} elements done");
        return (int)attr.Count;
    }

    uint BatchCount(int keyBytes, int valueBytes, bool requireEqual)
    {
        if (KeySize == 0) throw new NotSupportedException($"map '{Name}' ({Type}) has no keys; batch operations need keys.");
        if (keyBytes % KeySize != 0 || valueBytes % UserValueSize != 0)
            throw new ArgumentException($"batch buffers must hold whole keys ({KeySize} B) and values ({UserValueSize} B); got {keyBytes} and {valueBytes} bytes.");
        uint keys = (uint)keyBytes / KeySize, values = (uint)valueBytes / UserValueSize;
        if (requireEqual && keys != values)
            throw new ArgumentException($"batch update needs as many values as keys; got {keys} keys and {values} values.");
        return Math.Min(keys, values);
    }
}
