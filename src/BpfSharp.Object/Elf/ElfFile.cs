using System.Buffers.Binary;

namespace BpfSharp.Elf;

/// <summary>
/// A little-endian ELF64 eBPF object, read in place: the header and section headers are decoded and checked
/// when the file is parsed; section data, symbols and relocations are read from the original bytes on demand.
/// </summary>
/// <remarks>
/// Every offset, size and count is checked against the file before it is used, so a truncated or corrupt file
/// gives an <see cref="ElfFormatException"/> that says where, never an out-of-range access or a large allocation.
/// </remarks>
public readonly ref struct ElfFile
{
    const string Fix = "the file is truncated or corrupt; recompile it with clang -target bpf -c";

    readonly ReadOnlySpan<byte> bytes;
    readonly ElfSection[] sections;

    ElfFile(ReadOnlySpan<byte> bytes, ElfHeader header, ElfSection[] sections)
    {
        this.bytes = bytes;
        Header = header;
        this.sections = sections;
    }

    /// <summary>The whole file.</summary>
    public ReadOnlySpan<byte> Bytes => bytes;

    public ElfHeader Header { get; }

    /// <summary>All sections by index; index 0 is the null section.</summary>
    public IReadOnlyList<ElfSection> Sections => sections;

    /// <summary>Reads the header and section headers of <paramref name="bytes"/>.</summary>
    /// <exception cref="ElfFormatException">The bytes are not a little-endian ELF64 eBPF relocatable object.</exception>
    public static ElfFile Parse(ReadOnlySpan<byte> bytes)
    {
        ElfHeader header = ReadHeader(bytes);
        var sections = new ElfSection[header.SectionCount];
        // Names need the name table's header first; read raw headers, then decode names.
        for (int i = 0; i < sections.Length; i++)
            sections[i] = ReadSectionHeader(bytes, header, i, "");
        ElfSection names = sections[header.SectionNamesIndex];
        if (names.Type != ElfSectionType.StringTable)
            throw new ElfFormatException(
                $"ELF header: e_shstrndx {header.SectionNamesIndex} names a section of type {names.Type}, not a string table; {Fix}.");
        var nameTable = new ElfStringTable(Slice(bytes, names), $"section {names.Index} (section names)");
        for (int i = 1; i < sections.Length; i++)
        {
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[SectionHeaderOffset(header, i)..]);
            sections[i] = sections[i] with { Name = nameTable.Get(nameOffset, $"section {i}") };
        }
        return new ElfFile(bytes, header, sections);
    }

    /// <summary>The contents of <paramref name="section"/> (empty for <c>SHT_NOBITS</c> and <c>SHT_NULL</c>).</summary>
    public ReadOnlySpan<byte> GetData(ElfSection section) => Slice(bytes, section);

    /// <summary>The section at <paramref name="index"/>.</summary>
    /// <exception cref="ElfFormatException">There is no such section; <paramref name="user"/> names who asked.</exception>
    public ElfSection GetSection(long index, string user) =>
        (ulong)index < (ulong)sections.Length
            ? sections[index]
            : throw new ElfFormatException($"{user}: section index {index} is out of range (the file has {sections.Length} sections); {Fix}.");

    /// <summary>The first section called <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection s in sections)
            if (s.Index != 0 && s.Name == name)
                return s;
        return null;
    }

    /// <summary>The string table in section <paramref name="index"/>.</summary>
    public ElfStringTable GetStringTable(long index, string user)
    {
        ElfSection s = GetSection(index, user);
        if (s.Type != ElfSectionType.StringTable)
            throw new ElfFormatException($"{user}: {s} is of type {s.Type}, not a string table; {Fix}.");
        return new ElfStringTable(GetData(s), s.ToString());
    }

    /// <summary>The symbol table, or an empty table (<see cref="ElfSymbolTable.SectionIndex"/> 0) when the file has none.</summary>
    /// <exception cref="ElfFormatException">There are two symbol tables, or its entry size, size or string table is wrong.</exception>
    public ElfSymbolTable GetSymbolTable()
    {
        ElfSection? table = null;
        foreach (ElfSection s in sections)
        {
            if (s.Type != ElfSectionType.SymbolTable) continue;
            if (table is not null)
                throw new ElfFormatException($"{s}: a second symbol table (the first is {table}); an eBPF object has one; {Fix}.");
            table = s;
        }
        if (table is null)
            return new ElfSymbolTable(0, 0, default, default);
        if (table.EntrySize != ElfConstants.SymbolSize || table.Size % ElfConstants.SymbolSize != 0)
            throw new ElfFormatException(
                $"{table}: entry size {table.EntrySize} and size {table.Size} do not describe {ElfConstants.SymbolSize}-byte ELF64 symbols; {Fix}.");
        ElfStringTable strings = GetStringTable(table.Link, $"{table} (sh_link)");
        return new ElfSymbolTable(table.Index, (int)Math.Min(table.Info, int.MaxValue), GetData(table), strings);
    }

    /// <summary>The entries of relocation section <paramref name="section"/>.</summary>
    /// <exception cref="ElfFormatException">The section is not a relocation section, or its entry size, size or target section is wrong.</exception>
    public ElfRelocationTable GetRelocations(ElfSection section)
    {
        int entrySize = section.Type switch
        {
            ElfSectionType.Relocations => ElfConstants.RelSize,
            ElfSectionType.RelocationsWithAddends => ElfConstants.RelaSize,
            _ => throw new ElfFormatException($"{section} is of type {section.Type}, not a relocation section."),
        };
        if (section.EntrySize != (ulong)entrySize || section.Size % (ulong)entrySize != 0)
            throw new ElfFormatException(
                $"{section}: entry size {section.EntrySize} and size {section.Size} do not describe {entrySize}-byte {section.Type} entries; {Fix}.");
        if (section.Info == 0 || section.Info >= (uint)sections.Length)
            throw new ElfFormatException(
                $"{section}: target section index {section.Info} (sh_info) is out of range (the file has {sections.Length} sections); {Fix}.");
        return new ElfRelocationTable(section, GetData(section));
    }

    static ElfHeader ReadHeader(ReadOnlySpan<byte> b)
    {
        if (b.Length < 16 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new ElfFormatException(
                $"not an ELF file: the first bytes are {Convert.ToHexString(b[..Math.Min(4, b.Length)])}, not 7F454C46 ('\\x7fELF'); pass an eBPF object compiled with clang -target bpf -c.");
        if (b[4] != 2)
            throw new ElfFormatException(
                b[4] == 1
                    ? "ELF header byte 4 (EI_CLASS) is 1: a 32-bit ELF file; eBPF objects are ELF64, compile with clang -target bpf."
                    : $"ELF header byte 4 (EI_CLASS) is {b[4]}, expected 2 (ELF64); {Fix}.");
        if (b[5] != 1)
            throw new ElfFormatException(
                b[5] == 2
                    ? "ELF header byte 5 (EI_DATA) is 2: a big-endian object (clang -target bpfeb); only little-endian objects are supported, compile with -target bpf or bpfel."
                    : $"ELF header byte 5 (EI_DATA) is {b[5]}, expected 1 (little-endian); {Fix}.");
        if (b[6] != 1)
            throw new ElfFormatException($"ELF header byte 6 (EI_VERSION) is {b[6]}, expected 1; {Fix}.");
        if (b.Length < ElfConstants.HeaderSize)
            throw new ElfFormatException($"the ELF64 header needs {ElfConstants.HeaderSize} bytes, the file has {b.Length}; {Fix}.");

        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(b[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(b[18..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(b[48..]);
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(b[40..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(b[58..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(b[60..]);
        ushort shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(b[62..]);

        if (machine != ElfConstants.MachineBpf && machine != ElfConstants.MachineNone)
            throw new ElfFormatException(
                $"ELF header: e_machine is {machine} ({MachineName(machine)}), not 247 (EM_BPF); this is not an eBPF object, compile the program with clang -target bpf.");
        if (type != ElfConstants.TypeRelocatable)
            throw new ElfFormatException(
                $"ELF header: e_type is {type}, not 1 (ET_REL); pass the relocatable object clang -c writes, not a linked file.");
        if (shoff == 0)
            throw new ElfFormatException($"ELF header: the file has no section header table (e_shoff is 0); {Fix}.");
        if (shentsize != ElfConstants.SectionHeaderSize)
            throw new ElfFormatException(
                $"ELF header: e_shentsize is {shentsize}, expected {ElfConstants.SectionHeaderSize} for ELF64; {Fix}.");
        if (shoff > (ulong)b.Length || (ulong)b.Length - shoff < ElfConstants.SectionHeaderSize)
            throw new ElfFormatException(
                $"ELF header: the section header table at offset 0x{shoff:x} lies outside the file ({b.Length} bytes); {Fix}.");

        // Section 0 holds the real count and name-table index when they do not fit in 16 bits.
        ReadOnlySpan<byte> first = b.Slice((int)shoff, ElfConstants.SectionHeaderSize);
        ulong count = shnum == 0 ? BinaryPrimitives.ReadUInt64LittleEndian(first[32..]) : shnum;
        ulong namesIndex = shstrndx == ElfConstants.SectionExtended ? BinaryPrimitives.ReadUInt32LittleEndian(first[40..]) : shstrndx;
        ulong room = ((ulong)b.Length - shoff) / ElfConstants.SectionHeaderSize;
        if (count == 0 || count > room)
            throw new ElfFormatException(
                $"ELF header: {count} section headers at offset 0x{shoff:x} do not fit in the file ({b.Length} bytes, room for {room}); {Fix}.");
        if (namesIndex == 0 || namesIndex >= count)
            throw new ElfFormatException(
                $"ELF header: the section-name table index (e_shstrndx) {namesIndex} is out of range (the file has {count} sections); {Fix}.");
        return new ElfHeader(type, machine, flags, shoff, (int)count, (int)namesIndex);
    }

    static int SectionHeaderOffset(in ElfHeader header, int index) => (int)header.SectionHeaderOffset + index * ElfConstants.SectionHeaderSize;

    static ElfSection ReadSectionHeader(ReadOnlySpan<byte> b, in ElfHeader header, int index, string name)
    {
        ReadOnlySpan<byte> h = b.Slice(SectionHeaderOffset(header, index), ElfConstants.SectionHeaderSize);
        ElfSection section = ElfSection.Parse(h, index, name);
        if (index != 0 && HasFileData(section) && (section.Offset > (ulong)b.Length || section.Size > (ulong)b.Length - section.Offset))
            throw new ElfFormatException(
                $"section {index}: its data [0x{section.Offset:x}, +0x{section.Size:x}) runs past the end of the file ({b.Length} bytes); {Fix}.");
        return section;
    }

    static bool HasFileData(ElfSection s) => s.Type is not (ElfSectionType.NoBits or ElfSectionType.Null);

    static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> b, ElfSection s) =>
        s.Index == 0 || !HasFileData(s) ? default : b.Slice((int)s.Offset, (int)s.Size);

    static string MachineName(ushort machine) => machine switch
    {
        3 => "EM_386",
        40 => "EM_ARM",
        62 => "EM_X86_64",
        183 => "EM_AARCH64",
        243 => "EM_RISCV",
        _ => "not EM_BPF",
    };
}
