using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>
/// Everything BPF_MAP_CREATE needs to make a map. Key and value sizes are in bytes; types without keys
/// (queue, stack, bloom filter, ring buffer) use <see cref="KeySize"/> 0.
/// </summary>
public sealed record MapSpec
{
    public required BpfMapType Type { get; init; }
    public uint KeySize { get; init; }
    public uint ValueSize { get; init; }
    public uint MaxEntries { get; init; }
    public MapCreateFlags Flags { get; init; }
    /// <summary>Up to 15 characters: letters, digits, '_' and '.' (the kernel rejects others).</summary>
    public string? Name { get; init; }
    /// <summary>A map of the inner type, for array-of-maps and hash-of-maps (only its fd is used).</summary>
    public BpfMap? InnerMap { get; init; }
    /// <summary>The NUMA node to allocate on (sets BPF_F_NUMA_NODE).</summary>
    public int? NumaNode { get; init; }
    /// <summary>BTF describing key and value (needed by local storage maps, spin locks, timers, kptrs).</summary>
    public BtfHandle? Btf { get; init; }
    public uint BtfKeyTypeId { get; init; }
    public uint BtfValueTypeId { get; init; }
    /// <summary>The vmlinux BTF id of the struct_ops value type, for struct_ops maps.</summary>
    public uint BtfVmlinuxValueTypeId { get; init; }
    /// <summary>Type-specific: bloom filter hash count, arena start address, …</summary>
    public ulong MapExtra { get; init; }
    /// <summary>Interface index to offload the map to (0: none).</summary>
    public uint IfIndex { get; init; }

    public override string ToString() =>
        $"{(Name is null ? "" : $"'{Name}' ")}{Type} (key {KeySize} B, value {ValueSize} B, max_entries {MaxEntries}, flags {Flags})";
}
