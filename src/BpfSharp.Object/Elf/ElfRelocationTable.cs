using System.Buffers.Binary;

namespace BpfSharp.Elf;

/// <summary>A <c>SHT_REL</c> or <c>SHT_RELA</c> section, read in place.</summary>
public readonly ref struct ElfRelocationTable
{
    readonly ReadOnlySpan<byte> data;
    readonly int entrySize;

    internal ElfRelocationTable(ElfSection section, ReadOnlySpan<byte> data)
    {
        Section = section;
        this.data = data;
        entrySize = section.Type == ElfSectionType.RelocationsWithAddends ? ElfConstants.RelaSize : ElfConstants.RelSize;
    }

    /// <summary>The relocation section itself.</summary>
    public ElfSection Section { get; }

    /// <summary>The index of the section the relocations apply to (<c>sh_info</c>).</summary>
    public int TargetSectionIndex => (int)Section.Info;

    public int Count => data.Length / entrySize;

    public ElfRelocation this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ElfFormatException($"{Section}: relocation {index} is out of range ({Count} entries).");
            ReadOnlySpan<byte> r = data.Slice(index * entrySize, entrySize);
            ulong info = BinaryPrimitives.ReadUInt64LittleEndian(r[8..]);
            long addend = entrySize == ElfConstants.RelaSize ? BinaryPrimitives.ReadInt64LittleEndian(r[16..]) : 0;
            return new ElfRelocation(index, BinaryPrimitives.ReadUInt64LittleEndian(r), (uint)(info >> 32), (uint)info, addend);
        }
    }
}
