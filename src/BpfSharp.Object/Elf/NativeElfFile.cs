using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BpfSharp.Elf;

/// <summary>
/// A native executable or shared object (ELF64, little-endian, <c>ET_EXEC</c> or <c>ET_DYN</c>, any machine) as uprobes
/// and USDT need it: program headers, sections, symbol tables with GNU versions, notes, and the translation from a
/// virtual address to the file offset the kernel wants. Unlike <see cref="ElfFile"/> (eBPF objects, all in memory) it
/// reads only the parts asked for, so a large binary costs its headers and symbol tables, not its size.
/// </summary>
/// <remarks>
/// Every offset, size and count is checked against the file before it is used: a truncated or corrupt file gives an
/// <see cref="ElfFormatException"/> naming the file and what is wrong, never an out-of-range read or a huge allocation.
/// </remarks>
public sealed class NativeElfFile : IDisposable
{
    const int VersionHiddenBit = 0x8000;
    const int VersionIndexMask = 0x7fff;

    readonly SafeFileHandle? file;
    readonly byte[]? bytes;
    readonly long length;
    readonly ElfSection[] sections;
    readonly ElfProgramHeader[] segments;

    NativeElfFile(string path, SafeFileHandle? file, byte[]? bytes, long length)
    {
        Path = path;
        this.file = file;
        this.bytes = bytes;
        this.length = length;
        Span<byte> header = stackalloc byte[ElfConstants.HeaderSize];
        ReadHeader(header);
        segments = ReadProgramHeaders(header);
        sections = ReadSections(header);
    }

    /// <summary>The path it was opened from (or the name given to <see cref="Parse"/>).</summary>
    public string Path { get; }

    /// <summary><c>e_type</c>: <see cref="ElfConstants.TypeExecutable"/> or <see cref="ElfConstants.TypeSharedObject"/>.</summary>
    public ushort Type { get; private set; }

    /// <summary><c>e_machine</c> (62 for x86-64, 183 for arm64…).</summary>
    public ushort Machine { get; private set; }

    /// <summary>True for a shared object or position-independent executable (addresses relative to a load base).</summary>
    public bool IsPositionIndependent => Type == ElfConstants.TypeSharedObject;

    public IReadOnlyList<ElfProgramHeader> ProgramHeaders => segments;

    /// <summary>All sections by index (index 0 is the null section); empty when the file has no section headers.</summary>
    public IReadOnlyList<ElfSection> Sections => sections;

    /// <summary>Opens <paramref name="path"/> and reads its headers.</summary>
    /// <exception cref="ElfFormatException">Not an ELF64 little-endian executable or shared object, or corrupt.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static NativeElfFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return new NativeElfFile(path, handle, null, RandomAccess.GetLength(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads an executable or shared object from memory; <paramref name="name"/> is used in messages.</summary>
    public static NativeElfFile Parse(byte[] contents, string name = "<memory>")
    {
        ArgumentNullException.ThrowIfNull(contents);
        return new NativeElfFile(name, null, contents, contents.Length);
    }

    /// <summary>The first section called <paramref name="name"/>, or null.</summary>
    public ElfSection? FindSection(string name)
    {
        foreach (ElfSection s in sections)
            if (s.Index != 0 && s.Name == name)
                return s;
        return null;
    }

    /// <summary>The bytes of <paramref name="section"/> in the file (empty for <c>SHT_NOBITS</c>).</summary>
    public byte[] GetData(ElfSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (section.Index == 0 || section.Type is ElfSectionType.NoBits or ElfSectionType.Null || section.Size == 0) return [];
        return ReadBytes(section.Offset, section.Size, section.ToString());
    }

    /// <summary>
    /// The file offset where the byte at virtual address <paramref name="address"/> is stored: through the
    /// <c>PT_LOAD</c> segment that maps it, or, for a file without program headers, the allocated section that holds it.
    /// </summary>
    /// <returns>False when no segment or section maps the address to bytes of the file.</returns>
    public bool TryGetFileOffset(ulong address, out ulong offset, out ElfProgramHeader? segment)
    {
        foreach (ElfProgramHeader p in segments)
        {
            if (p.Type != ElfSegmentType.Load || !p.Contains(address) || address - p.VirtualAddress >= p.FileSize) continue;
            offset = address - p.VirtualAddress + p.Offset;
            segment = p;
            return true;
        }
        segment = null;
        foreach (ElfSection s in sections)
        {
            if (s.Index == 0 || (s.Flags & ElfSectionFlags.Alloc) == 0 || s.Type == ElfSectionType.NoBits) continue;
            if (address < s.Address || address - s.Address >= s.Size) continue;
            offset = address - s.Address + s.Offset;
            return true;
        }
        offset = 0;
        return false;
    }

    /// <summary>The <c>PT_LOAD</c> segment whose memory image holds <paramref name="address"/>, or null.</summary>
    public ElfProgramHeader? FindLoadSegment(ulong address)
    {
        foreach (ElfProgramHeader p in segments)
            if (p.Type == ElfSegmentType.Load && p.Contains(address))
                return p;
        return null;
    }

    /// <summary>
    /// The symbols of the first table of <paramref name="table"/>'s type (<see cref="ElfSectionType.SymbolTable"/>, which
    /// stripped files lack, or <see cref="ElfSectionType.DynamicSymbols"/>), with GNU versions for dynamic symbols;
    /// empty when the file has no such table. Symbol 0 (the null symbol) is left out.
    /// </summary>
    public IReadOnlyList<NativeSymbol> ReadSymbols(ElfSectionType table)
    {
        if (table is not (ElfSectionType.SymbolTable or ElfSectionType.DynamicSymbols))
            throw new ArgumentOutOfRangeException(nameof(table), table, "a symbol table type: SymbolTable or DynamicSymbols");
        ElfSection? section = sections.FirstOrDefault(s => s.Type == table);
        if (section is null) return [];
        if (section.EntrySize != ElfConstants.SymbolSize || section.Size % ElfConstants.SymbolSize != 0)
            throw Corrupt($"{section}: entry size {section.EntrySize} and size {section.Size} do not describe {ElfConstants.SymbolSize}-byte ELF64 symbols");
        byte[] data = GetData(section);
        byte[] strings = StringTableData(section.Link, $"{section} (sh_link)");
        int count = data.Length / ElfConstants.SymbolSize;

        byte[]? versions = null;
        Dictionary<int, string>? versionNames = null;
        if (table == ElfSectionType.DynamicSymbols)
        {
            ElfSection? versym = sections.FirstOrDefault(s => s.Type == ElfSectionType.GnuVersionSymbols);
            if (versym is not null && versym.Size >= (ulong)count * 2)
            {
                versions = GetData(versym);
                versionNames = ReadVersionDefinitions();
            }
        }

        var result = new List<NativeSymbol>(count);
        for (int i = 1; i < count; i++)
        {
            ReadOnlySpan<byte> s = data.AsSpan(i * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
            ElfSymbol symbol = ElfSymbol.Parse(s, i);
            string name = CString(strings, symbol.NameOffset, $"{section} symbol {i}");
            string? version = null;
            bool isDefault = true;
            if (versions is not null)
            {
                int word = BinaryPrimitives.ReadUInt16LittleEndian(versions.AsSpan(i * 2));
                isDefault = (word & VersionHiddenBit) == 0;
                versionNames!.TryGetValue(word & VersionIndexMask, out version);
            }
            else if (name.IndexOf('@') is var at and > 0)
            {
                // .symtab spells versions into the name: "memcpy@GLIBC_2.2.5", "foo@@VERS_1".
                bool twice = at + 1 < name.Length && name[at + 1] == '@';
                version = name[(at + (twice ? 2 : 1))..];
                isDefault = twice;
                name = name[..at];
            }
            result.Add(new NativeSymbol(name, version, isDefault, symbol, table));
        }
        return result;
    }

    /// <summary>The entries of every note section called <paramref name="sectionName"/> (e.g. <c>.note.stapsdt</c>).</summary>
    public IReadOnlyList<ElfNote> ReadNotes(string sectionName)
    {
        var notes = new List<ElfNote>();
        foreach (ElfSection section in sections)
        {
            if (section.Index == 0 || section.Name != sectionName) continue;
            if (section.Type != ElfSectionType.Note)
                throw Corrupt($"{section} is of type {section.Type}, not a note section (SHT_NOTE)");
            ReadNotes(section, notes);
        }
        return notes;
    }

    void ReadNotes(ElfSection section, List<ElfNote> notes)
    {
        byte[] data = GetData(section);
        int position = 0;
        while (data.Length - position >= 12)
        {
            uint nameSize = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(position));
            uint descriptorSize = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(position + 4));
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(position + 8));
            long nameStart = position + 12;
            long descriptorStart = nameStart + Align4(nameSize);
            long end = descriptorStart + Align4(descriptorSize);
            if (descriptorStart + descriptorSize > data.Length)
                throw Corrupt($"{section}: the note at byte {position} (name {nameSize} B, descriptor {descriptorSize} B) runs past the section's end ({data.Length} B)");
            ReadOnlySpan<byte> name = data.AsSpan((int)nameStart, (int)nameSize);
            int nul = name.IndexOf((byte)0);
            notes.Add(new ElfNote(
                Encoding.UTF8.GetString(nul < 0 ? name : name[..nul]),
                type,
                data.AsSpan((int)descriptorStart, (int)descriptorSize).ToArray()));
            position = (int)Math.Min(end, data.Length);
        }
    }

    static long Align4(uint size) => ((long)size + 3) & ~3L;

    /// <summary>Version index → name, from <c>SHT_GNU_verdef</c> (index 1, the file's own base name, is left out).</summary>
    Dictionary<int, string> ReadVersionDefinitions()
    {
        var names = new Dictionary<int, string>();
        ElfSection? verdef = sections.FirstOrDefault(s => s.Type == ElfSectionType.GnuVersionDefinitions);
        if (verdef is null) return names;
        byte[] data = GetData(verdef);
        byte[] strings = StringTableData(verdef.Link, $"{verdef} (sh_link)");
        long position = 0;
        for (int entry = 0; entry < 65536 && position + 20 <= data.Length; entry++)
        {
            ReadOnlySpan<byte> d = data.AsSpan((int)position);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
            ushort index = BinaryPrimitives.ReadUInt16LittleEndian(d[4..]);
            uint aux = BinaryPrimitives.ReadUInt32LittleEndian(d[12..]);
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(d[16..]);
            const ushort BaseVersion = 1; // VER_FLG_BASE: the file's own name, not a symbol version
            if ((flags & BaseVersion) == 0 && position + aux + 8 <= data.Length)
            {
                uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)(position + aux)));
                names[index] = CString(strings, nameOffset, $"{verdef} entry {entry}");
            }
            if (next == 0) break;
            position += next;
        }
        return names;
    }

    byte[] StringTableData(uint index, string user)
    {
        if (index == 0 || index >= sections.Length)
            throw Corrupt($"{user}: string table index {index} is out of range (the file has {sections.Length} sections)");
        ElfSection s = sections[index];
        if (s.Type != ElfSectionType.StringTable)
            throw Corrupt($"{user}: {s} is of type {s.Type}, not a string table");
        return GetData(s);
    }

    string CString(byte[] table, uint offset, string user)
    {
        if (offset == 0) return "";
        if (offset >= table.Length) throw Corrupt($"{user}: name offset {offset} is outside its string table ({table.Length} bytes)");
        ReadOnlySpan<byte> rest = table.AsSpan((int)offset);
        int end = rest.IndexOf((byte)0);
        if (end < 0) throw Corrupt($"{user}: the name at offset {offset} is not NUL-terminated");
        return Encoding.UTF8.GetString(rest[..end]);
    }

    void ReadHeader(Span<byte> b)
    {
        int read = ReadAt(0, b);
        if (read < 4 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new ElfFormatException(
                $"'{Path}' is not an ELF file (it starts with {Convert.ToHexString(b[..Math.Min(4, read)])}, not 7F454C46 '\\x7fELF'): " +
                "uprobes and USDT probes attach to compiled executables and shared libraries; a script or a symbolic link to a non-ELF file will not do.");
        if (b[4] != 2)
            throw new ElfFormatException($"'{Path}' is a {(b[4] == 1 ? "32-bit" : $"class-{b[4]}")} ELF file; only 64-bit (ELFCLASS64) executables and libraries are supported.");
        if (b[5] != 1)
            throw new ElfFormatException($"'{Path}' is a big-endian ELF file (EI_DATA {b[5]}); only little-endian executables and libraries are supported.");
        if (read < ElfConstants.HeaderSize)
            throw Corrupt($"the ELF64 header needs {ElfConstants.HeaderSize} bytes, the file has {read}");
        Type = BinaryPrimitives.ReadUInt16LittleEndian(b[16..]);
        Machine = BinaryPrimitives.ReadUInt16LittleEndian(b[18..]);
        if (Type is not (ElfConstants.TypeExecutable or ElfConstants.TypeSharedObject))
            throw new ElfFormatException(
                $"'{Path}' has ELF type {Type} ({TypeName(Type)}), not an executable (ET_EXEC) or shared object (ET_DYN): " +
                "uprobes attach to linked binaries, not to object files or core dumps.");
    }

    ElfProgramHeader[] ReadProgramHeaders(ReadOnlySpan<byte> h)
    {
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(h[32..]);
        ushort entrySize = BinaryPrimitives.ReadUInt16LittleEndian(h[54..]);
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(h[56..]);
        if (count == 0 || offset == 0) return [];
        if (entrySize != ElfConstants.ProgramHeaderSize)
            throw Corrupt($"ELF header: e_phentsize is {entrySize}, expected {ElfConstants.ProgramHeaderSize} for ELF64");
        byte[] table = ReadBytes(offset, (ulong)count * entrySize, "the program header table");
        var result = new ElfProgramHeader[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> p = table.AsSpan(i * entrySize, entrySize);
            result[i] = new ElfProgramHeader(
                i,
                (ElfSegmentType)BinaryPrimitives.ReadUInt32LittleEndian(p),
                (ElfSegmentFlags)BinaryPrimitives.ReadUInt32LittleEndian(p[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[32..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[48..]));
        }
        return result;
    }

    ElfSection[] ReadSections(ReadOnlySpan<byte> h)
    {
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(h[40..]);
        ushort entrySize = BinaryPrimitives.ReadUInt16LittleEndian(h[58..]);
        ulong count = BinaryPrimitives.ReadUInt16LittleEndian(h[60..]);
        ulong namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(h[62..]);
        if (offset == 0) return [];
        if (entrySize != ElfConstants.SectionHeaderSize)
            throw Corrupt($"ELF header: e_shentsize is {entrySize}, expected {ElfConstants.SectionHeaderSize} for ELF64");
        if (count == 0 || namesIndex == ElfConstants.SectionExtended)
        {
            // Section 0 holds the real count and name-table index when they do not fit in 16 bits.
            byte[] first = ReadBytes(offset, ElfConstants.SectionHeaderSize, "section header 0");
            if (count == 0) count = BinaryPrimitives.ReadUInt64LittleEndian(first.AsSpan(32));
            if (namesIndex == ElfConstants.SectionExtended) namesIndex = BinaryPrimitives.ReadUInt32LittleEndian(first.AsSpan(40));
        }
        if (count == 0) return [];
        ulong room = offset < (ulong)length ? ((ulong)length - offset) / ElfConstants.SectionHeaderSize : 0;
        if (count > room)
            throw Corrupt($"ELF header: {count} section headers at offset 0x{offset:x} do not fit in the file ({length} bytes)");
        byte[] table = ReadBytes(offset, count * ElfConstants.SectionHeaderSize, "the section header table");
        var result = new ElfSection[count];
        for (int i = 0; i < (int)count; i++)
        {
            ReadOnlySpan<byte> s = table.AsSpan(i * ElfConstants.SectionHeaderSize, ElfConstants.SectionHeaderSize);
            ElfSection section = ElfSection.Parse(s, i, "");
            bool hasData = i != 0 && section.Type is not (ElfSectionType.NoBits or ElfSectionType.Null);
            if (hasData && (section.Offset > (ulong)length || section.Size > (ulong)length - section.Offset))
                throw Corrupt($"section {i}: its data [0x{section.Offset:x}, +0x{section.Size:x}) runs past the end of the file ({length} bytes)");
            result[i] = section;
        }
        if (namesIndex == 0 || namesIndex >= count) return result;
        ElfSection names = result[namesIndex];
        if (names.Type != ElfSectionType.StringTable)
            throw Corrupt($"ELF header: e_shstrndx {namesIndex} names a section of type {names.Type}, not a string table");
        byte[] nameTable = GetData(names);
        for (int i = 1; i < result.Length; i++)
        {
            uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(i * ElfConstants.SectionHeaderSize));
            result[i] = result[i] with { Name = CString(nameTable, nameOffset, $"section {i}") };
        }
        return result;
    }

    byte[] ReadBytes(ulong offset, ulong size, string what)
    {
        if (offset > (ulong)length || size > (ulong)length - offset)
            throw Corrupt($"{what} at [0x{offset:x}, +0x{size:x}) lies outside the file ({length} bytes)");
        if (size > int.MaxValue)
            throw Corrupt($"{what} is {size} bytes, more than this reader handles in one piece");
        byte[] buffer = new byte[size];
        if (ReadAt((long)offset, buffer) != buffer.Length)
            throw Corrupt($"{what}: the file ended while reading [0x{offset:x}, +0x{size:x}); was it truncated while being read?");
        return buffer;
    }

    int ReadAt(long offset, Span<byte> destination)
    {
        if (bytes is not null)
        {
            if (offset >= bytes.Length) return 0;
            int n = (int)Math.Min(destination.Length, bytes.Length - offset);
            bytes.AsSpan((int)offset, n).CopyTo(destination);
            return n;
        }
        int total = 0;
        while (total < destination.Length)
        {
            int n = RandomAccess.Read(file!, destination[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    ElfFormatException Corrupt(string what) => new($"'{Path}': {what}; the file is truncated or corrupt.");

    static string TypeName(ushort type) => type switch
    {
        0 => "ET_NONE",
        1 => "ET_REL, a relocatable object",
        4 => "ET_CORE, a core dump",
        _ => "unknown",
    };

    public void Dispose() => file?.Dispose();

    public override string ToString() => $"'{Path}' ({(IsPositionIndependent ? "ET_DYN" : "ET_EXEC")}, machine {Machine})";
}
