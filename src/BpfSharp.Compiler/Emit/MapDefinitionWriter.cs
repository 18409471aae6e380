using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Emit;

/// <summary>
/// Writes a map as libbpf's BTF-defined map: an anonymous STRUCT whose members are <c>type</c>, <c>key</c>,
/// <c>value</c>, <c>max_entries</c> … Numbers are encoded as <c>int (*name)[N]</c> (a PTR to an ARRAY of N ints,
/// what <c>__uint</c> writes), types as a PTR to the type (<c>__type</c>), and an inner map of a map-in-map as
/// <c>values</c>, an empty ARRAY of PTR to the inner definition (<c>__array</c>).
/// </summary>
internal sealed class MapDefinitionWriter(BtfTypeWriter types)
{
    /// <summary>
    /// Map types whose keys and values the kernel refuses to describe with BTF (libbpf drops the ids before creating
    /// them): their sizes are written as <c>key_size</c>/<c>value_size</c> numbers instead.
    /// </summary>
    static readonly HashSet<BpfMapType> SizesOnly =
    [
        BpfMapType.ProgArray, BpfMapType.PerfEventArray, BpfMapType.CgroupArray, BpfMapType.StackTrace,
        BpfMapType.ArrayOfMaps, BpfMapType.HashOfMaps, BpfMapType.DevMap, BpfMapType.DevMapHash, BpfMapType.CpuMap,
        BpfMapType.XskMap, BpfMapType.SockMap, BpfMapType.SockHash, BpfMapType.Queue, BpfMapType.Stack,
        BpfMapType.Arena, BpfMapType.RingBuf, BpfMapType.UserRingBuf, BpfMapType.ReuseportSockarray,
    ];

    /// <summary>The definition STRUCT's id; its size is 8 bytes per member.</summary>
    public uint Write(MapDeclaration map)
    {
        var members = new List<BtfMember>();
        void Add(string name, uint typeId) => members.Add(new BtfMember(name, typeId, (uint)members.Count * 64, 0));
        void Number(string name, ulong value)
        {
            if (value <= uint.MaxValue) Add(name, types.Pointer(types.Array(types.Int("int", 4, signed: true), (uint)value)));
            else Add(name, types.Builder.AddEnum64("", 8, signed: false, [("__" + name, (long)value)])); // __ulong
        }

        Number("type", (ulong)map.Type);
        bool sizesOnly = SizesOnly.Contains(map.Type);
        if (map.Key is { } key)
        {
            if (sizesOnly) Number("key_size", (ulong)key.Size);
            else Add("key", types.Pointer(types.TypeId(key)));
        }
        if (map.Value is { } value && map.Inner is null)
        {
            if (sizesOnly) Number("value_size", (ulong)value.Size);
            else Add("value", types.Pointer(types.TypeId(value)));
        }
        Number("max_entries", map.MaxEntries);
        if (map.Flags != 0) Number("map_flags", map.Flags);
        if (map.MapExtra != 0) Number("map_extra", map.MapExtra);
        if (map.NumaNode != 0) Number("numa_node", map.NumaNode);
        if (map.Pinning != 0) Number("pinning", map.Pinning);
        if (map.Inner is { } inner)
            Add("values", types.Array(types.Pointer(Write(inner)), 0)); // must be the last member
        return types.Builder.Add(new BtfType { Kind = BtfKind.Struct, Size = (uint)members.Count * 8, Members = members });
    }
}
