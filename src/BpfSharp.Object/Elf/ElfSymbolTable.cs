using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Elf;

/// <summary>The symbol table (<c>SHT_SYMTAB</c>) with its string table, read in place.</summary>
public readonly ref struct ElfSymbolTable
{
    readonly ReadOnlySpan<byte> data;
    readonly ElfStringTable strings;

    internal ElfSymbolTable(int sectionIndex, int firstGlobal, ReadOnlySpan<byte> data, ElfStringTable strings)
    {
        SectionIndex = sectionIndex;
        FirstGlobal = firstGlobal;
        this.data = data;
        this.strings = strings;
    }

    /// <summary>The index of the symbol table section, or 0 when the file has none.</summary>
    public int SectionIndex { get; }

    /// <summary>The index of the first non-local symbol (<c>sh_info</c>).</summary>
    public int FirstGlobal { get; }

    public int Count => data.Length / ElfConstants.SymbolSize;

    public ElfStringTable Strings => strings;

    /// <summary>The symbol at <paramref name="index"/>.</summary>
    /// <exception cref="ElfFormatException">The index is out of range.</exception>
    public ElfSymbol this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ElfFormatException($"symbol index {index} is outside the symbol table ({Count} symbols); the object is corrupt, recompile it.");
            ReadOnlySpan<byte> s = data.Slice(index * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
            return ElfSymbol.Parse(s, index);
        }
    }

    /// <summary>The symbol's name bytes (empty for unnamed symbols).</summary>
    public ReadOnlySpan<byte> GetNameBytes(in ElfSymbol symbol) =>
        symbol.NameOffset == 0 ? default : strings.GetBytes(symbol.NameOffset, $"symbol {symbol.Index}");

    public string GetName(in ElfSymbol symbol) => symbol.NameOffset == 0 ? "" : Encoding.UTF8.GetString(GetNameBytes(symbol));

    /// <summary>The first symbol called <paramref name="name"/> for which <paramref name="match"/> holds, or null.</summary>
    public ElfSymbol? Find(string name, Func<ElfSymbol, bool>? match = null)
    {
        Span<byte> utf8 = name.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
        utf8 = utf8[..Encoding.UTF8.GetBytes(name, utf8)];
        for (int i = 1; i < Count; i++)
        {
            ElfSymbol symbol = this[i];
            if (symbol.NameOffset != 0 && GetNameBytes(symbol).SequenceEqual(utf8) && (match is null || match(symbol)))
                return symbol;
        }
        return null;
    }
}
