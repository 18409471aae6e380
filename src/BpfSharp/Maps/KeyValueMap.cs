using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>
/// Typed access to a map whose keys and values are C# <c>unmanaged</c> types: lookup, update with flags, delete,
/// lookup-and-delete, iteration and batch operations, all without allocating.
/// </summary>
public abstract unsafe class KeyValueMap<TKey, TValue> : TypedMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    const int EEXIST = 17;

    protected KeyValueMap(BpfMap map, params ReadOnlySpan<BpfMapType> accepted) : base(map, accepted) { }

    /// <summary>Looks a key up; false when absent. <see cref="MapUpdateFlags.Lock"/> reads under the value's spin lock.</summary>
    public bool TryGetValue(in TKey key, out TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            return Map.Found(BpfCommand.MapLookupElem, Map.LookupRaw(k, v, (ulong)flags));
    }

    /// <summary>Gets (throwing <see cref="KeyNotFoundException"/> when absent) or sets (creating or replacing) an element.</summary>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out TValue value) ? value : throw new KeyNotFoundException($"key {key} is not in {Map}.");
        set => Update(key, value);
    }

    /// <summary>Creates or replaces an element. Flags: Any (default), NoExist (create only), Exist (replace only), Lock.</summary>
    public void Update(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            int r = Map.UpdateRaw(k, v, (ulong)flags);
            if (r < 0) throw Map.Error(BpfCommand.MapUpdateElem, r);
        }
    }

    /// <summary>Adds an element only if its key is absent (BPF_NOEXIST); false when the key existed.</summary>
    public bool TryAdd(in TKey key, in TValue value)
    {
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            int r = Map.UpdateRaw(k, v, (ulong)MapUpdateFlags.NoExist);
            return r >= 0 || (r == -EEXIST ? false : throw Map.Error(BpfCommand.MapUpdateElem, r));
        }
    }

    /// <summary>Deletes an element; false when it was absent.</summary>
    public bool Remove(in TKey key)
    {
        fixed (TKey* k = &key)
            return Map.Found(BpfCommand.MapDeleteElem, Map.DeleteRaw(k));
    }

    /// <summary>Looks up and deletes an element in one step (BPF_MAP_LOOKUP_AND_DELETE_ELEM); false when absent.</summary>
    public bool TryRemove(in TKey key, out TValue value)
    {
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            return Map.Found(BpfCommand.MapLookupAndDeleteElem, Map.LookupAndDeleteRaw(k, v));
    }

    /// <summary>The entries: each key and its value, looked up as the walk reaches it; keys deleted meanwhile are skipped.</summary>
    public MapEntries<TKey, TValue> Entries => new(this);

    /// <summary>Reads the next batch into the spans; returns the count. Loop until <paramref name="cursor"/> is done.</summary>
    public int LookupBatch(MapBatchCursor cursor, Span<TKey> keys, Span<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Map.LookupBatch(cursor, System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), flags);

    /// <summary>Reads and deletes the next batch; returns the count.</summary>
    public int LookupAndDeleteBatch(MapBatchCursor cursor, Span<TKey> keys, Span<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Map.LookupAndDeleteBatch(cursor, System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), flags);

    /// <summary>Writes all pairs in one system call; returns the count written.</summary>
    public int UpdateBatch(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Map.UpdateBatch(System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values), flags);

    /// <summary>Deletes all keys in one system call; returns the count deleted.</summary>
    public int DeleteBatch(ReadOnlySpan<TKey> keys) => Map.DeleteBatch(System.Runtime.InteropServices.MemoryMarshal.AsBytes(keys));

    /// <summary>A cursor sized for this map's keys, for the batch operations.</summary>
    public MapBatchCursor NewBatchCursor() => new(Map.KeySize);
}
