using System.Buffers.Binary;
using System.Text;

namespace BpfSharp.Elf;

/// <summary>A section added to an <see cref="ElfWriter"/>; its final index is known only when the file is written.</summary>
public readonly record struct ElfSectionId(int Value)
{
    /// <summary>For symbols defined elsewhere (<c>SHN_UNDEF</c>).</summary>
    public static ElfSectionId Undefined { get; } = new(-1);
    /// <summary>For symbols with an absolute value (<c>SHN_ABS</c>), such as <c>STT_FILE</c>.</summary>
    public static ElfSectionId Absolute { get; } = new(-2);
}

/// <summary>A symbol added to an <see cref="ElfWriter"/>, for relocations to refer to.</summary>
public readonly record struct ElfSymbolId(int Value);

/// <summary>
/// Writes a relocatable little-endian ELF64 EM_BPF object: sections with data, one symbol table, one string
/// table (for section and symbol names, as clang writes it) and a <c>.rel</c> section per section with relocations.
/// </summary>
/// <remarks>
/// Layout follows clang: the string table is section 1, each <c>.relNAME</c> section follows NAME, the symbol
/// table is last. Local symbols are written before global ones (an ELF rule), each group in the order added.
/// </remarks>
public sealed class ElfWriter
{
    sealed class Section
    {
        public required string Name;
        public required ElfSectionType Type;
        public ElfSectionFlags Flags;
        public byte[] Data = [];
        public ulong NoBitsSize;
        public ulong Alignment = 1;
        public ulong EntrySize;
        public readonly List<(ulong Offset, ElfSymbolId Symbol, uint Type)> Relocations = [];
    }

    readonly record struct Symbol(string Name, ElfSymbolType Type, ElfSymbolBinding Binding, ElfSymbolVisibility Visibility, ElfSectionId Section, ulong Value, ulong Size);

    readonly List<Section> sections = [];
    readonly List<Symbol> symbols = [];

    /// <summary>Adds a section holding <paramref name="data"/> (copied).</summary>
    /// <param name="type">Usually <see cref="ElfSectionType.ProgBits"/>; symbol, string and relocation tables are written by the writer.</param>
    public ElfSectionId AddSection(string name, ReadOnlySpan<byte> data, ElfSectionFlags flags, ulong alignment = 8,
        ElfSectionType type = ElfSectionType.ProgBits, ulong entrySize = 0)
    {
        if (type is ElfSectionType.SymbolTable or ElfSectionType.StringTable or ElfSectionType.Relocations
            or ElfSectionType.RelocationsWithAddends or ElfSectionType.NoBits or ElfSectionType.Null)
            throw new ArgumentException($"Section '{name}': the writer writes {type} sections itself; add data sections only.", nameof(type));
        return Add(new Section { Name = name, Type = type, Flags = flags, Data = data.ToArray(), Alignment = Math.Max(1, alignment), EntrySize = entrySize });
    }

    /// <summary>Adds a <c>SHT_NOBITS</c> section (such as <c>.bss</c>): <paramref name="size"/> zero bytes that take no room in the file.</summary>
    public ElfSectionId AddNoBitsSection(string name, ulong size, ElfSectionFlags flags = ElfSectionFlags.Write | ElfSectionFlags.Alloc, ulong alignment = 8) =>
        Add(new Section { Name = name, Type = ElfSectionType.NoBits, Flags = flags, NoBitsSize = size, Alignment = Math.Max(1, alignment) });

    /// <summary>Adds a symbol; <paramref name="value"/> is the offset in <paramref name="section"/>.</summary>
    public ElfSymbolId AddSymbol(string name, ElfSymbolType type, ElfSymbolBinding binding, ElfSectionId section,
        ulong value = 0, ulong size = 0, ElfSymbolVisibility visibility = ElfSymbolVisibility.Default)
    {
        CheckSection(section, allowSpecial: true);
        symbols.Add(new Symbol(name, type, binding, visibility, section, value, size));
        return new ElfSymbolId(symbols.Count - 1);
    }

    /// <summary>Adds a relocation of <paramref name="type"/> at byte <paramref name="offset"/> of <paramref name="section"/> against <paramref name="symbol"/>.</summary>
    public void AddRelocation(ElfSectionId section, ulong offset, ElfSymbolId symbol, BpfRelocationType type) =>
        AddRelocation(section, offset, symbol, (uint)type);

    /// <inheritdoc cref="AddRelocation(ElfSectionId, ulong, ElfSymbolId, BpfRelocationType)"/>
    public void AddRelocation(ElfSectionId section, ulong offset, ElfSymbolId symbol, uint type)
    {
        CheckSection(section, allowSpecial: false);
        if ((uint)symbol.Value >= (uint)symbols.Count)
            throw new ArgumentOutOfRangeException(nameof(symbol), $"Symbol id {symbol.Value} was not returned by AddSymbol.");
        sections[section.Value].Relocations.Add((offset, symbol, type));
    }

    /// <summary>Writes the file.</summary>
    public byte[] ToArray()
    {
        // Final section order: null, .strtab, each section followed by its .rel section, .symtab.
        var order = new List<(Section? Data, int RelFor, string Name)> { (null, -1, ""), (null, -1, ".strtab") };
        var finalIndex = new int[sections.Count];
        var relIndex = new int[sections.Count];
        for (int i = 0; i < sections.Count; i++)
        {
            finalIndex[i] = order.Count;
            order.Add((sections[i], -1, sections[i].Name));
            if (sections[i].Relocations.Count == 0) continue;
            relIndex[i] = order.Count;
            order.Add((null, i, ".rel" + sections[i].Name));
        }
        int symtabIndex = order.Count;
        order.Add((null, -1, ".symtab"));

        // Symbols: the null symbol, locals, then globals, each in the order added.
        var symbolOrder = new List<int>(symbols.Count);
        for (int i = 0; i < symbols.Count; i++) if (symbols[i].Binding == ElfSymbolBinding.Local) symbolOrder.Add(i);
        int firstGlobal = symbolOrder.Count + 1;
        for (int i = 0; i < symbols.Count; i++) if (symbols[i].Binding != ElfSymbolBinding.Local) symbolOrder.Add(i);
        var symbolIndex = new int[symbols.Count];
        for (int i = 0; i < symbolOrder.Count; i++) symbolIndex[symbolOrder[i]] = i + 1;

        var strings = new StringTableBuilder();
        var nameOffsets = new uint[order.Count];
        for (int i = 1; i < order.Count; i++) nameOffsets[i] = strings.Add(order[i].Name);
        var symtab = new byte[(symbolOrder.Count + 1) * ElfConstants.SymbolSize];
        for (int i = 0; i < symbolOrder.Count; i++)
        {
            Symbol s = symbols[symbolOrder[i]];
            Span<byte> e = symtab.AsSpan((i + 1) * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
            BinaryPrimitives.WriteUInt32LittleEndian(e, s.Name.Length == 0 ? 0 : strings.Add(s.Name));
            e[4] = ElfSymbol.MakeInfo(s.Type, s.Binding);
            e[5] = (byte)s.Visibility;
            BinaryPrimitives.WriteUInt16LittleEndian(e[6..], s.Section.Value switch
            {
                -1 => ElfConstants.SectionUndefined,
                -2 => ElfConstants.SectionAbsolute,
                int v => checked((ushort)finalIndex[v]),
            });
            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], s.Value);
            BinaryPrimitives.WriteUInt64LittleEndian(e[16..], s.Size);
        }
        byte[] strtab = strings.ToArray();

        // Lay out the data: header, then each section's bytes aligned, then the section header table.
        var headers = new (ElfSectionType Type, ElfSectionFlags Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Align, ulong EntSize)[order.Count];
        var blobs = new byte[order.Count][];
        ulong position = ElfConstants.HeaderSize;
        for (int i = 1; i < order.Count; i++)
        {
            var (data, relFor, _) = order[i];
            byte[] blob;
            if (i == 1)
            {
                blob = strtab;
                headers[i] = (ElfSectionType.StringTable, ElfSectionFlags.None, 0, (ulong)blob.Length, 0, 0, 1, 0);
            }
            else if (i == symtabIndex)
            {
                blob = symtab;
                headers[i] = (ElfSectionType.SymbolTable, ElfSectionFlags.None, 0, (ulong)blob.Length, 1, (uint)firstGlobal, 8, ElfConstants.SymbolSize);
            }
            else if (relFor >= 0)
            {
                var relocations = sections[relFor].Relocations;
                blob = new byte[relocations.Count * ElfConstants.RelSize];
                for (int r = 0; r < relocations.Count; r++)
                {
                    Span<byte> e = blob.AsSpan(r * ElfConstants.RelSize);
                    BinaryPrimitives.WriteUInt64LittleEndian(e, relocations[r].Offset);
                    BinaryPrimitives.WriteUInt64LittleEndian(e[8..], ((ulong)(uint)symbolIndex[relocations[r].Symbol.Value] << 32) | relocations[r].Type);
                }
                headers[i] = (ElfSectionType.Relocations, ElfSectionFlags.InfoLink, 0, (ulong)blob.Length, (uint)symtabIndex, (uint)finalIndex[relFor], 8, ElfConstants.RelSize);
            }
            else
            {
                blob = data!.Data;
                ulong size = data.Type == ElfSectionType.NoBits ? data.NoBitsSize : (ulong)blob.Length;
                headers[i] = (data.Type, data.Flags, 0, size, 0, 0, data.Alignment, data.EntrySize);
            }
            position = AlignUp(position, headers[i].Align);
            headers[i].Offset = position;
            blobs[i] = blob;
            position += (ulong)blob.Length;
        }
        ulong shoff = AlignUp(position, 8);
        var file = new byte[checked((int)(shoff + (ulong)order.Count * ElfConstants.SectionHeaderSize))];
        Span<byte> f = file;
        WriteHeader(f, shoff, order.Count);
        for (int i = 1; i < order.Count; i++)
        {
            blobs[i].CopyTo(f[(int)headers[i].Offset..]);
            Span<byte> h = f.Slice((int)shoff + i * ElfConstants.SectionHeaderSize, ElfConstants.SectionHeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(h, nameOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)headers[i].Type);
            BinaryPrimitives.WriteUInt64LittleEndian(h[8..], (ulong)headers[i].Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(h[24..], headers[i].Offset);
            BinaryPrimitives.WriteUInt64LittleEndian(h[32..], headers[i].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[40..], headers[i].Link);
            BinaryPrimitives.WriteUInt32LittleEndian(h[44..], headers[i].Info);
            BinaryPrimitives.WriteUInt64LittleEndian(h[48..], headers[i].Align);
            BinaryPrimitives.WriteUInt64LittleEndian(h[56..], headers[i].EntSize);
        }
        return file;
    }

    static void WriteHeader(Span<byte> f, ulong shoff, int sectionCount)
    {
        f[0] = 0x7f; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = 2; // ELFCLASS64
        f[5] = 1; // little-endian
        f[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], ElfConstants.TypeRelocatable);
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], ElfConstants.MachineBpf);
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(f[40..], shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(f[52..], ElfConstants.HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[58..], ElfConstants.SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[60..], checked((ushort)sectionCount));
        BinaryPrimitives.WriteUInt16LittleEndian(f[62..], 1); // .strtab
    }

    ElfSectionId Add(Section section)
    {
        if (section.Name.Length == 0)
            throw new ArgumentException("A section needs a name.", nameof(section));
        sections.Add(section);
        return new ElfSectionId(sections.Count - 1);
    }

    void CheckSection(ElfSectionId section, bool allowSpecial)
    {
        if (allowSpecial && (section == ElfSectionId.Undefined || section == ElfSectionId.Absolute)) return;
        if ((uint)section.Value >= (uint)sections.Count)
            throw new ArgumentOutOfRangeException(nameof(section), $"Section id {section.Value} was not returned by AddSection.");
    }

    static ulong AlignUp(ulong value, ulong alignment) => alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment;

    /// <summary>A string table that stores each distinct string once.</summary>
    sealed class StringTableBuilder
    {
        readonly List<byte> bytes = [0];
        readonly Dictionary<string, uint> offsets = new(StringComparer.Ordinal) { [""] = 0 };

        public uint Add(string s)
        {
            if (offsets.TryGetValue(s, out uint offset)) return offset;
            offset = (uint)bytes.Count;
            bytes.AddRange(Encoding.UTF8.GetBytes(s));
            bytes.Add(0);
            offsets[s] = offset;
            return offset;
        }

        public byte[] ToArray() => [.. bytes];
    }
}
