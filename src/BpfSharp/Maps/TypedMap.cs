using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>
/// What every keyed typed map shares: the kernel map underneath, checked on construction against the C# key and
/// value types (map type, sizes, the rules of docs/map-types.md), and its lifetime.
/// </summary>
public abstract unsafe class TypedMap<TKey, TValue> : IDisposable
    where TKey : unmanaged
    where TValue : unmanaged
{
    protected TypedMap(BpfMap map, params ReadOnlySpan<BpfMapType> accepted)
    {
        ArgumentNullException.ThrowIfNull(map);
        MapTypeCheck.MapType(map, GetType().Name, accepted);
        MapTypeCheck.Key<TKey>(map);
        MapTypeCheck.Value<TValue>(map);
        Map = map;
    }

    /// <summary>The untyped map underneath (fd, pinning, info, freeze).</summary>
    public BpfMap Map { get; }

    public uint MaxEntries => Map.MaxEntries;

    /// <summary>The keys, walked with BPF_MAP_GET_NEXT_KEY (a hash map restarts from its first key when the current key is deleted meanwhile).</summary>
    public MapKeys<TKey> Keys => new(Map);

    protected static MapSpec SpecFor(BpfMapType type, uint maxEntries, string? name, MapCreateFlags flags) => new()
    {
        Type = type,
        KeySize = (uint)sizeof(TKey),
        ValueSize = (uint)sizeof(TValue),
        MaxEntries = maxEntries,
        Name = name,
        Flags = flags,
    };

    public void Pin(string path) => Map.Pin(path);

    public void Dispose()
    {
        DisposeCore();
        Map.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a derived map holds besides the fd (e.g. a memory mapping).</summary>
    protected virtual void DisposeCore() { }
}
