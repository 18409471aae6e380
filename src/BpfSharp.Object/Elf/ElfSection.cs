using System.Buffers.Binary;

namespace BpfSharp.Elf;

/// <summary>One section header with its name decoded. Offsets and sizes were checked against the file when it was read.</summary>
public sealed record ElfSection
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required ElfSectionType Type { get; init; }
    public ElfSectionFlags Flags { get; init; }
    /// <summary><c>sh_offset</c>: where the data starts in the file.</summary>
    public ulong Offset { get; init; }
    /// <summary><c>sh_size</c>: the data's size (for <c>SHT_NOBITS</c>, the size in memory; nothing is in the file).</summary>
    public ulong Size { get; init; }
    /// <summary><c>sh_link</c>: for symbol tables the string table, for relocations the symbol table.</summary>
    public uint Link { get; init; }
    /// <summary><c>sh_info</c>: for relocations the section they apply to, for symbol tables the first non-local symbol.</summary>
    public uint Info { get; init; }
    /// <summary><c>sh_addr</c>: where the section lives in memory once loaded (0 in relocatable objects).</summary>
    public ulong Address { get; init; }
    public ulong Alignment { get; init; }
    public ulong EntrySize { get; init; }

    public bool IsExecutable => (Flags & ElfSectionFlags.ExecInstr) != 0;

    public bool IsRelocationSection => Type is ElfSectionType.Relocations or ElfSectionType.RelocationsWithAddends;

    public override string ToString() => $"section {Index} '{Name}'";

    /// <summary>Decodes one <c>Elf64_Shdr</c> (<see cref="ElfConstants.SectionHeaderSize"/> bytes); the caller checks where its data lies.</summary>
    internal static ElfSection Parse(ReadOnlySpan<byte> entry, int index, string name) => new()
    {
        Index = index,
        Name = name,
        Type = (ElfSectionType)BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]),
        Flags = (ElfSectionFlags)BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
        Address = BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]),
        Offset = BinaryPrimitives.ReadUInt64LittleEndian(entry[24..]),
        Size = BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]),
        Link = BinaryPrimitives.ReadUInt32LittleEndian(entry[40..]),
        Info = BinaryPrimitives.ReadUInt32LittleEndian(entry[44..]),
        Alignment = BinaryPrimitives.ReadUInt64LittleEndian(entry[48..]),
        EntrySize = BinaryPrimitives.ReadUInt64LittleEndian(entry[56..]),
    };
}
