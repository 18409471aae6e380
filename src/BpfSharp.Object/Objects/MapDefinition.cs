using BpfSharp.Abi;

namespace BpfSharp.Objects;

/// <summary>
/// One map of an object: a BTF-defined map from <c>.maps</c>, a legacy <c>bpf_map_def</c> from <c>maps</c>, or a
/// global-data section (<c>.data</c>, <c>.rodata</c>, <c>.bss</c>, their <c>.*</c> variants, <c>.kconfig</c>) as a
/// one-element array map.
/// </summary>
public sealed record MapDefinition
{
    /// <summary>The C variable name for <c>.maps</c>/<c>maps</c>, or the section name for global data (<c>.rodata</c>).</summary>
    public required string Name { get; init; }
    public required MapOrigin Origin { get; init; }
    public required BpfMapType Type { get; init; }
    public uint KeySize { get; init; }
    public uint ValueSize { get; init; }
    public uint MaxEntries { get; init; }
    public MapCreateFlags Flags { get; init; }
    /// <summary>The NUMA node (BTF attribute <c>numa_node</c>), or null.</summary>
    public uint? NumaNode { get; init; }
    public ulong MapExtra { get; init; }
    public MapPinning Pinning { get; init; }
    /// <summary>Key and value types in the object's BTF (0 when absent, as for legacy maps without BTF).</summary>
    public uint BtfKeyTypeId { get; init; }
    public uint BtfValueTypeId { get; init; }
    /// <summary>For map-in-map: the inner map's definition (from the <c>values</c> attribute or legacy inner id).</summary>
    public MapDefinition? InnerMap { get; init; }
    /// <summary>Initial slots of a prog array (program names) or map-in-map (map names), from <c>.values = { … }</c>.</summary>
    public IReadOnlyList<MapInitialValue> InitialValues { get; init; } = [];
    /// <summary>The initial value of a global-data map (empty for <c>.bss</c> and <c>.kconfig</c>: zero-filled).</summary>
    public ReadOnlyMemory<byte> Contents { get; init; }
    /// <summary>For global data: the variables in the section, by offset.</summary>
    public IReadOnlyList<DataVariable> Variables { get; init; } = [];
    /// <summary>The ELF section the definition came from.</summary>
    public string SectionName { get; init; } = "";
    /// <summary>False for struct_ops maps in a <c>?.struct_ops</c> section: created only when asked (libbpf's autocreate).</summary>
    public bool AutoCreate { get; init; } = true;

    /// <summary>True for <c>.rodata</c> and <c>.kconfig</c>: created with BPF_F_RDONLY_PROG and frozen after its contents are written.</summary>
    public bool IsReadOnly => Origin is MapOrigin.Data && (SectionName.StartsWith(".rodata", StringComparison.Ordinal) || SectionName == ".kconfig");

    public override string ToString() =>
        $"{Name} ({Type}, key {KeySize} B, value {ValueSize} B, max_entries {MaxEntries}, flags {Flags})";
}

/// <summary>Where a map definition came from.</summary>
public enum MapOrigin
{
    /// <summary>A BTF-defined map in <c>.maps</c>.</summary>
    Btf,
    /// <summary>A <c>struct bpf_map_def</c> in the legacy <c>maps</c> section.</summary>
    Legacy,
    /// <summary>A global-data section (<c>.data*</c>, <c>.rodata*</c>, <c>.bss*</c>, <c>.kconfig</c>).</summary>
    Data,
    /// <summary>A <c>.struct_ops</c> / <c>.struct_ops.link</c> variable.</summary>
    StructOps,
}

/// <summary>The <c>pinning</c> attribute: <c>LIBBPF_PIN_BY_NAME</c> pins at <c>PIN_ROOT/NAME</c>.</summary>
public enum MapPinning : uint
{
    None = 0,
    ByName = 1,
}

/// <summary>
/// One initial slot of a prog array or map-in-map: <paramref name="Target"/> names a program or a map. For a
/// struct_ops map, <paramref name="Index"/> is the struct member's index and <paramref name="Target"/> the program
/// its function pointer is set to.
/// </summary>
public readonly record struct MapInitialValue(uint Index, string Target);

/// <summary>A global variable inside a data map: its name, offset and size in the section, and its BTF VAR/type id.</summary>
public readonly record struct DataVariable(string Name, uint Offset, uint Size, uint BtfTypeId, bool IsGlobal);
