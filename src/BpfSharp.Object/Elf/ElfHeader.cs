namespace BpfSharp.Elf;

/// <summary>The fields of the ELF64 file header an eBPF object uses.</summary>
/// <param name="Type"><c>e_type</c>: 1 (<c>ET_REL</c>) for objects.</param>
/// <param name="Machine"><c>e_machine</c>: 247 (<c>EM_BPF</c>), or 0 from old compilers.</param>
/// <param name="Flags"><c>e_flags</c>.</param>
/// <param name="SectionHeaderOffset"><c>e_shoff</c>.</param>
/// <param name="SectionCount">The number of sections, with the <c>SHN_XINDEX</c> escape resolved.</param>
/// <param name="SectionNamesIndex">The section holding section names, with the escape resolved.</param>
public readonly record struct ElfHeader(
    ushort Type,
    ushort Machine,
    uint Flags,
    ulong SectionHeaderOffset,
    int SectionCount,
    int SectionNamesIndex);
