using System.Buffers.Binary;

namespace BpfSharp.Elf;

/// <summary>One entry of the symbol table (<c>Elf64_Sym</c>).</summary>
/// <param name="Index">The symbol's index in its table.</param>
/// <param name="NameOffset"><c>st_name</c>: offset into the linked string table.</param>
/// <param name="Info"><c>st_info</c>: binding in the upper 4 bits, type in the lower 4.</param>
/// <param name="Other"><c>st_other</c>: visibility in the lower 2 bits.</param>
/// <param name="SectionIndex"><c>st_shndx</c>: the defining section, or a special index (<see cref="ElfConstants.SectionUndefined"/>, <see cref="ElfConstants.SectionAbsolute"/>…).</param>
/// <param name="Value"><c>st_value</c>: in a relocatable object, the offset in the defining section.</param>
/// <param name="Size"><c>st_size</c>.</param>
public readonly record struct ElfSymbol(int Index, uint NameOffset, byte Info, byte Other, ushort SectionIndex, ulong Value, ulong Size)
{
    public ElfSymbolType Type => (ElfSymbolType)(Info & 0xf);
    public ElfSymbolBinding Binding => (ElfSymbolBinding)(Info >> 4);
    public ElfSymbolVisibility Visibility => (ElfSymbolVisibility)(Other & 0x3);

    /// <summary>True when the symbol is defined in another object (<c>SHN_UNDEF</c>).</summary>
    public bool IsUndefined => SectionIndex == ElfConstants.SectionUndefined;

    /// <summary>True for a section index that names a real section (not undefined, absolute, common…).</summary>
    public bool IsInSection => SectionIndex != ElfConstants.SectionUndefined && SectionIndex < ElfConstants.SectionReservedStart;

    /// <summary>Global or weak binding with hidden or internal visibility: libbpf treats such a symbol as static.</summary>
    public bool IsHiddenGlobal =>
        Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak && Visibility is ElfSymbolVisibility.Hidden or ElfSymbolVisibility.Internal;

    /// <summary>Decodes one <c>Elf64_Sym</c> (<see cref="ElfConstants.SymbolSize"/> bytes).</summary>
    internal static ElfSymbol Parse(ReadOnlySpan<byte> entry, int index) => new(
        index,
        BinaryPrimitives.ReadUInt32LittleEndian(entry),
        entry[4],
        entry[5],
        BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]),
        BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]));

    public static byte MakeInfo(ElfSymbolType type, ElfSymbolBinding binding) => (byte)(((byte)binding << 4) | ((byte)type & 0xf));
}
