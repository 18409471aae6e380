using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

/// <summary>Lookup, update and delete by key: what every hash map kind shares.</summary>
public abstract unsafe class KeyedMap<TKey, TValue> : BpfMap where TKey : unmanaged where TValue : unmanaged
{
    private protected KeyedMap() { }

    /// <summary>
    /// The value stored under <paramref name="key"/> (for per-CPU maps: the current CPU's), writable in place; a null
    /// ref when absent (test with <see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>).
    /// </summary>
    public ref TValue Lookup(in TKey key) =>
        ref Unsafe.AsRef<TValue>(Helpers.MapLookupElem(this, Unsafe.AsPointer(ref Unsafe.AsRef(in key))));

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/> (for per-CPU maps: as the current CPU's value; a new
    /// key gets it on every CPU); 0 or a negative errno.
    /// </summary>
    public long Update(in TKey key, in TValue value, MapUpdateFlags flags = MapUpdateFlags.Any) =>
        Helpers.MapUpdateElem(this, Unsafe.AsPointer(ref Unsafe.AsRef(in key)), Unsafe.AsPointer(ref Unsafe.AsRef(in value)), (ulong)flags);

    /// <summary>Removes <paramref name="key"/> (on all CPUs); 0 or a negative errno (-ENOENT when absent).</summary>
    public long Delete(in TKey key) => Helpers.MapDeleteElem(this, Unsafe.AsPointer(ref Unsafe.AsRef(in key)));
}

/// <summary>A keyed map with one value per CPU: also reads another CPU's value.</summary>
public abstract unsafe class PerCpuKeyedMap<TKey, TValue> : KeyedMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    private protected PerCpuKeyedMap() { }

    /// <summary>CPU <paramref name="cpu"/>'s value under <paramref name="key"/>; a null ref when absent.</summary>
    public ref TValue LookupOnCpu(in TKey key, uint cpu) =>
        ref Unsafe.AsRef<TValue>(Helpers.MapLookupPercpuElem(this, Unsafe.AsPointer(ref Unsafe.AsRef(in key)), cpu));
}

/// <summary>A hash map (<c>BPF_MAP_TYPE_HASH</c>) from <typeparamref name="TKey"/> to <typeparamref name="TValue"/>.</summary>
[BpfMapType(1)]
public sealed class HashMap<TKey, TValue> : KeyedMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    internal HashMap() { }
}

/// <summary>A hash map that evicts the least recently used entry when full (<c>BPF_MAP_TYPE_LRU_HASH</c>).</summary>
[BpfMapType(9)]
public sealed class LruHashMap<TKey, TValue> : KeyedMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    internal LruHashMap() { }
}

/// <summary>A hash map with one value per CPU (<c>BPF_MAP_TYPE_PERCPU_HASH</c>); lookups see the current CPU's value.</summary>
[BpfMapType(5)]
public sealed class PerCpuHashMap<TKey, TValue> : PerCpuKeyedMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    internal PerCpuHashMap() { }
}

/// <summary>An LRU hash map with one value per CPU (<c>BPF_MAP_TYPE_LRU_PERCPU_HASH</c>).</summary>
[BpfMapType(10)]
public sealed class LruPerCpuHashMap<TKey, TValue> : PerCpuKeyedMap<TKey, TValue> where TKey : unmanaged where TValue : unmanaged
{
    internal LruPerCpuHashMap() { }
}
