using System.Buffers;
using System.Runtime.CompilerServices;
using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>
/// Typed access to a per-CPU map: each key has one value per possible CPU (<see cref="PossibleCpus.Count"/>).
/// Reads fill a caller's span with every CPU's value; writes take one value per CPU.
/// </summary>
public abstract unsafe class PerCpuMap<TKey, TValue> : TypedMap<TKey, TValue>
    where TKey : unmanaged
    where TValue : unmanaged
{
    const int StackLimit = 1024;

    protected PerCpuMap(BpfMap map, params ReadOnlySpan<BpfMapType> accepted) : base(map, accepted) { }

    /// <summary>How many values each key has: the number of possible CPUs.</summary>
    public int CpuCount => PossibleCpus.Count;

    static int Stride => (int)BpfMap.RoundUp8((uint)sizeof(TValue));

    // The kernel pads each CPU's value to 8 bytes; when TValue already is a multiple of 8 the caller's span is the buffer.
    static bool Dense => sizeof(TValue) % 8 == 0;

    /// <summary>Reads every CPU's value of <paramref name="key"/> into <paramref name="values"/> (length ≥ <see cref="CpuCount"/>); false when absent.</summary>
    public bool TryGetValues(in TKey key, Span<TValue> values)
    {
        CheckLength(values.Length);
        fixed (TKey* k = &key)
        {
            if (Dense)
                fixed (TValue* v = values)
                    return Map.Found(BpfCommand.MapLookupElem, Map.LookupRaw(k, v));

            int size = Stride * CpuCount;
            byte[]? rented = size > StackLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
            Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
            try
            {
                fixed (byte* b = buffer)
                {
                    if (!Map.Found(BpfCommand.MapLookupElem, Map.LookupRaw(k, b))) return false;
                    for (int cpu = 0; cpu < CpuCount; cpu++)
                        values[cpu] = Unsafe.ReadUnaligned<TValue>(b + cpu * Stride);
                    return true;
                }
            }
            finally
            {
                if (rented != null) ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes one value per CPU (<paramref name="values"/> length = <see cref="CpuCount"/>).</summary>
    public void Update(in TKey key, ReadOnlySpan<TValue> values, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        if (values.Length != CpuCount)
            throw new ArgumentException($"per-CPU map '{Map.Name}' needs exactly {CpuCount} values (one per possible CPU); got {values.Length}.", nameof(values));
        fixed (TKey* k = &key)
        {
            int r;
            if (Dense)
            {
                fixed (TValue* v = values)
                    r = Map.UpdateRaw(k, v, (ulong)flags);
            }
            else
            {
                int size = Stride * CpuCount;
                byte[]? rented = size > StackLimit ? ArrayPool<byte>.Shared.Rent(size) : null;
                Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
                try
                {
                    buffer[..size].Clear();
                    fixed (byte* b = buffer)
                    {
                        for (int cpu = 0; cpu < values.Length; cpu++)
                            Unsafe.WriteUnaligned(b + cpu * Stride, values[cpu]);
                        r = Map.UpdateRaw(k, b, (ulong)flags);
                    }
                }
                finally
                {
                    if (rented != null) ArrayPool<byte>.Shared.Return(rented);
                }
            }
            if (r < 0) throw Map.Error(BpfCommand.MapUpdateElem, r);
        }
    }

    /// <summary>Writes the same value on every CPU (e.g. to reset a counter).</summary>
    public void UpdateAll(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        int cpus = CpuCount;
        TValue[]? rented = cpus * sizeof(TValue) > StackLimit ? ArrayPool<TValue>.Shared.Rent(cpus) : null;
        Span<TValue> values = rented is null ? stackalloc TValue[cpus] : rented.AsSpan(0, cpus);
        values.Fill(value);
        try { Update(key, values, flags); }
        finally { if (rented != null) ArrayPool<TValue>.Shared.Return(rented); }
    }

    /// <summary>Deletes an element; false when absent (arrays cannot delete: the kernel says EINVAL).</summary>
    public bool Remove(in TKey key)
    {
        fixed (TKey* k = &key)
            return Map.Found(BpfCommand.MapDeleteElem, Map.DeleteRaw(k));
    }

    void CheckLength(int length)
    {
        if (length < CpuCount)
            throw new ArgumentException($"per-CPU map '{Map.Name}' has a value per possible CPU: the span needs {CpuCount} elements, got {length}.");
    }
}

/// <summary>A BPF_MAP_TYPE_PERCPU_HASH map.</summary>
public sealed class PerCpuHashMap<TKey, TValue> : PerCpuMap<TKey, TValue>, ITypedMapView<PerCpuHashMap<TKey, TValue>>
    where TKey : unmanaged
    where TValue : unmanaged
{
    public PerCpuHashMap(BpfMap map) : base(map, BpfMapType.PerCpuHash) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static PerCpuHashMap<TKey, TValue> Wrap(BpfMap map) => new(map);

    public static PerCpuHashMap<TKey, TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, Interop.ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<TKey, TValue>(SpecFor(BpfMapType.PerCpuHash, maxEntries, name, flags), syscalls));
}

/// <summary>A BPF_MAP_TYPE_LRU_PERCPU_HASH map.</summary>
public sealed class LruPerCpuHashMap<TKey, TValue> : PerCpuMap<TKey, TValue>, ITypedMapView<LruPerCpuHashMap<TKey, TValue>>
    where TKey : unmanaged
    where TValue : unmanaged
{
    public LruPerCpuHashMap(BpfMap map) : base(map, BpfMapType.LruPerCpuHash) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static LruPerCpuHashMap<TKey, TValue> Wrap(BpfMap map) => new(map);

    public static LruPerCpuHashMap<TKey, TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, Interop.ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<TKey, TValue>(SpecFor(BpfMapType.LruPerCpuHash, maxEntries, name, flags), syscalls));
}

/// <summary>A BPF_MAP_TYPE_PERCPU_ARRAY map, indexed from 0.</summary>
public sealed class PerCpuArrayMap<TValue> : PerCpuMap<uint, TValue>, ITypedMapView<PerCpuArrayMap<TValue>> where TValue : unmanaged
{
    public PerCpuArrayMap(BpfMap map) : base(map, BpfMapType.PerCpuArray) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static PerCpuArrayMap<TValue> Wrap(BpfMap map) => new(map);

    public static PerCpuArrayMap<TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, Interop.ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<uint, TValue>(SpecFor(BpfMapType.PerCpuArray, maxEntries, name, flags), syscalls));
}
