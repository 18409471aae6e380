using BpfSharp.Btf;

namespace BpfSharp.Objects;

/// <summary>
/// An eBPF object as a kernel-independent description: its programs (linked and with relocations recorded),
/// maps (BTF-defined, legacy and global data), externs and BTF. Produced by <see cref="ObjectReader"/> from an
/// ELF file (or by the compiler); turned into kernel objects by the runtime's <c>BpfObject</c>.
/// </summary>
public sealed class ObjectSpec
{
    /// <summary>The object's name: the file name without directory and extension(s), as libbpf names it.</summary>
    public required string Name { get; init; }
    /// <summary>The contents of the <c>license</c> section, or empty.</summary>
    public string License { get; init; } = "";
    /// <summary>The contents of the <c>version</c> section, or 0.</summary>
    public uint KernelVersion { get; init; }
    /// <summary>The object's BTF after the fix-ups libbpf makes (DATASEC sizes, VAR offsets), or null when it has none.</summary>
    public BtfSpec? Btf { get; init; }
    /// <summary>The raw blob <see cref="Btf"/> was parsed from (with the same fix-ups), for BPF_BTF_LOAD; empty when there is no BTF.</summary>
    public ReadOnlyMemory<byte> RawBtf { get; init; }
    public IReadOnlyList<ProgramDefinition> Programs { get; init; } = [];
    /// <summary>Every map: BTF-defined, legacy, global data (<c>.data</c>, <c>.rodata</c>, <c>.bss</c>, <c>.kconfig</c>, …), struct_ops.</summary>
    public IReadOnlyList<MapDefinition> Maps { get; init; } = [];
    public IReadOnlyList<ExternDefinition> Externs { get; init; } = [];
    /// <summary>The ELF sections, for inspection.</summary>
    public IReadOnlyList<SectionSummary> Sections { get; init; } = [];
    /// <summary>What was skipped or ignored while reading, as libbpf would log it (an unreadable <c>.BTF.ext</c>, unknown sections…).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public ProgramDefinition? FindProgram(string name) => Programs.FirstOrDefault(p => p.Name == name);
    public MapDefinition? FindMap(string name) => Maps.FirstOrDefault(m => m.Name == name);

    /// <summary>The global variable <paramref name="name"/> and the data map holding it, or null.</summary>
    public (MapDefinition Map, DataVariable Variable)? FindVariable(string name)
    {
        foreach (MapDefinition map in Maps)
            if (map.Origin == MapOrigin.Data)
                foreach (DataVariable v in map.Variables)
                    if (v.Name == name) return (map, v);
        return null;
    }
}

/// <summary>One ELF section as <c>bpfsharp inspect</c> shows it.</summary>
public sealed record SectionSummary(int Index, string Name, SectionRole Role, ulong Size);

/// <summary>What a section is used for.</summary>
public enum SectionRole
{
    Other,
    Program,
    /// <summary><c>.text</c>: subprograms (and programs only when annotated otherwise).</summary>
    Text,
    Maps,
    LegacyMaps,
    Data,
    ReadOnlyData,
    Bss,
    Kconfig,
    Ksyms,
    StructOps,
    License,
    Version,
    Btf,
    BtfExt,
    SymbolTable,
    StringTable,
    Relocations,
}
