using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>
/// The key of an LPM trie: a prefix length in bits followed by the data it applies to (e.g. an IPv4 address as
/// 4 bytes in network order). Packed to 4 so the data follows the 4-byte prefix with no gap, as the kernel expects.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct LpmTrieKey<TData>(uint prefixLength, TData data) where TData : unmanaged
{
    public uint PrefixLength = prefixLength;
    public TData Data = data;

    public override readonly string ToString() => $"{Data}/{PrefixLength}";
}

/// <summary>
/// A BPF_MAP_TYPE_LPM_TRIE map (longest-prefix match): a lookup of a full-length key finds the entry with the
/// longest prefix that matches it. The kernel requires BPF_F_NO_PREALLOC, which <see cref="Create"/> sets.
/// </summary>
public sealed class LpmTrieMap<TData, TValue> : KeyValueMap<LpmTrieKey<TData>, TValue>, ITypedMapView<LpmTrieMap<TData, TValue>>
    where TData : unmanaged
    where TValue : unmanaged
{
    public LpmTrieMap(BpfMap map) : base(map, BpfMapType.LpmTrie) { }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static LpmTrieMap<TData, TValue> Wrap(BpfMap map) => new(map);

    public static LpmTrieMap<TData, TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<LpmTrieKey<TData>, TValue>(SpecFor(BpfMapType.LpmTrie, maxEntries, name, flags | MapCreateFlags.NoPrealloc), syscalls));

    /// <summary>The value of the longest prefix that matches all bits of <paramref name="data"/>.</summary>
    public bool TryMatch(in TData data, out TValue value) =>
        TryGetValue(new LpmTrieKey<TData>((uint)(System.Runtime.CompilerServices.Unsafe.SizeOf<TData>() * 8), data), out value);
}
