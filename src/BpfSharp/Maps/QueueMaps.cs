using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>Shared by queue (FIFO) and stack (LIFO) maps: keyless push, pop and peek.</summary>
public abstract unsafe class PushPopMap<TValue> : IDisposable where TValue : unmanaged
{
    protected PushPopMap(BpfMap map, BpfMapType type)
    {
        ArgumentNullException.ThrowIfNull(map);
        MapTypeCheck.MapType(map, GetType().Name, type);
        MapTypeCheck.Value<TValue>(map);
        Map = map;
    }

    public BpfMap Map { get; }

    protected static BpfMap CreateMap(BpfMapType type, uint maxEntries, string? name, MapCreateFlags flags, ISyscalls? syscalls) =>
        Maps.Create.Checked<byte, TValue>(new MapSpec { Type = type, ValueSize = (uint)sizeof(TValue), MaxEntries = maxEntries, Name = name, Flags = flags }, syscalls);

    /// <summary>Adds a value. When full: fails with E2BIG, unless <paramref name="flags"/> is Exist, which drops the oldest value.</summary>
    public void Push(in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        fixed (TValue* v = &value)
        {
            int r = Map.UpdateRaw(null, v, (ulong)flags);
            if (r < 0) throw Map.Error(BpfCommand.MapUpdateElem, r);
        }
    }

    /// <summary>Removes and returns the next value; false when empty.</summary>
    public bool TryPop(out TValue value)
    {
        value = default;
        fixed (TValue* v = &value)
            return Map.Found(BpfCommand.MapLookupAndDeleteElem, Map.LookupAndDeleteRaw(null, v));
    }

    /// <summary>Returns the next value without removing it; false when empty.</summary>
    public bool TryPeek(out TValue value)
    {
        value = default;
        fixed (TValue* v = &value)
            return Map.Found(BpfCommand.MapLookupElem, Map.LookupRaw(null, v));
    }

    public void Dispose()
    {
        Map.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A BPF_MAP_TYPE_QUEUE map: first in, first out.</summary>
public sealed class QueueMap<TValue> : PushPopMap<TValue>, ITypedMapView<QueueMap<TValue>> where TValue : unmanaged
{
    public QueueMap(BpfMap map) : base(map, BpfMapType.Queue) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static QueueMap<TValue> Wrap(BpfMap map) => new(map);

    public static QueueMap<TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, ISyscalls? syscalls = null) =>
        new(CreateMap(BpfMapType.Queue, maxEntries, name, flags, syscalls));
}

/// <summary>A BPF_MAP_TYPE_STACK map: last in, first out.</summary>
public sealed class StackMap<TValue> : PushPopMap<TValue>, ITypedMapView<StackMap<TValue>> where TValue : unmanaged
{
    public StackMap(BpfMap map) : base(map, BpfMapType.Stack) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static StackMap<TValue> Wrap(BpfMap map) => new(map);

    public static StackMap<TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, ISyscalls? syscalls = null) =>
        new(CreateMap(BpfMapType.Stack, maxEntries, name, flags, syscalls));
}

/// <summary>
/// A BPF_MAP_TYPE_BLOOM_FILTER map: <see cref="Add"/> values, then ask <see cref="MayContain"/> — false means
/// certainly absent, true means probably present. Values cannot be removed.
/// </summary>
public sealed unsafe class BloomFilterMap<TValue> : IDisposable, ITypedMapView<BloomFilterMap<TValue>> where TValue : unmanaged
{
    public BloomFilterMap(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MapTypeCheck.MapType(map, nameof(BloomFilterMap<TValue>), BpfMapType.BloomFilter);
        MapTypeCheck.Value<TValue>(map);
        Map = map;
    }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static BloomFilterMap<TValue> Wrap(BpfMap map) => new(map);

    public BpfMap Map { get; }

    /// <summary>Creates a bloom filter sized for <paramref name="maxEntries"/> values, with 1–15 hash functions (0: the kernel's default of 5).</summary>
    public static BloomFilterMap<TValue> Create(uint maxEntries, uint hashFunctions = 0, string? name = null, ISyscalls? syscalls = null)
    {
        if (hashFunctions > 15) throw new ArgumentOutOfRangeException(nameof(hashFunctions), "a bloom filter uses 1 to 15 hash functions (0 for the default 5).");
        return new(Maps.Create.Checked<byte, TValue>(new MapSpec
        {
            Type = BpfMapType.BloomFilter, ValueSize = (uint)sizeof(TValue), MaxEntries = maxEntries, Name = name, MapExtra = hashFunctions,
        }, syscalls));
    }

    public void Add(in TValue value)
    {
        fixed (TValue* v = &value)
        {
            int r = Map.UpdateRaw(null, v, 0);
            if (r < 0) throw Map.Error(BpfCommand.MapUpdateElem, r);
        }
    }

    public bool MayContain(in TValue value)
    {
        fixed (TValue* v = &value)
        {
            int r = Map.LookupRaw(null, v);
            return Map.Found(BpfCommand.MapLookupElem, r);
        }
    }

    public void Dispose() => Map.Dispose();
}
