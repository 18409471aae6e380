namespace BpfSharp.Elf;

/// <summary>One relocation (<c>Elf64_Rel</c>, or <c>Elf64_Rela</c> with its addend).</summary>
/// <param name="Index">The entry's index in its relocation section.</param>
/// <param name="Offset"><c>r_offset</c>: the byte offset in the target section.</param>
/// <param name="SymbolIndex">The symbol (upper 32 bits of <c>r_info</c>).</param>
/// <param name="Type">The relocation type (lower 32 bits of <c>r_info</c>); for EM_BPF see <see cref="BpfRelocationType"/>.</param>
/// <param name="Addend"><c>r_addend</c> for RELA entries; 0 for REL, where the addend is in the relocated field.</param>
public readonly record struct ElfRelocation(int Index, ulong Offset, uint SymbolIndex, uint Type, long Addend)
{
    public BpfRelocationType BpfType => (BpfRelocationType)Type;
}
