using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>A BPF_MAP_TYPE_HASH map with typed keys and values.</summary>
public sealed class HashMap<TKey, TValue> : KeyValueMap<TKey, TValue>, ITypedMapView<HashMap<TKey, TValue>>
    where TKey : unmanaged
    where TValue : unmanaged
{
    /// <summary>Wraps an existing hash map (checking the types against it).</summary>
    public HashMap(BpfMap map) : base(map, BpfMapType.Hash) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static HashMap<TKey, TValue> Wrap(BpfMap map) => new(map);

    /// <summary>Creates a hash map sized for <typeparamref name="TKey"/> and <typeparamref name="TValue"/>.</summary>
    public static HashMap<TKey, TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<TKey, TValue>(SpecFor(BpfMapType.Hash, maxEntries, name, flags), syscalls));
}

/// <summary>A BPF_MAP_TYPE_LRU_HASH map: when full, an update evicts the least recently used element instead of failing.</summary>
public sealed class LruHashMap<TKey, TValue> : KeyValueMap<TKey, TValue>, ITypedMapView<LruHashMap<TKey, TValue>>
    where TKey : unmanaged
    where TValue : unmanaged
{
    public LruHashMap(BpfMap map) : base(map, BpfMapType.LruHash) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static LruHashMap<TKey, TValue> Wrap(BpfMap map) => new(map);

    public static LruHashMap<TKey, TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<TKey, TValue>(SpecFor(BpfMapType.LruHash, maxEntries, name, flags), syscalls));
}

/// <summary>Creates maps after validating the C# types, so a rule violation is reported before the kernel sees anything.</summary>
static class Create
{
    public static BpfMap Checked<TKey, TValue>(MapSpec spec, ISyscalls? syscalls)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        if (spec.KeySize > 0) LayoutRules.Validate<TKey>(isKey: true);
        LayoutRules.Validate<TValue>(isKey: false);
        return BpfMap.Create(spec, syscalls);
    }
}
