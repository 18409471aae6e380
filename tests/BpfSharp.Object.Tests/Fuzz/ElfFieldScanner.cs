using System.Buffers.Binary;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// Finds the ELF64 (little-endian) header fields and the 32-bit fields of every section header of a valid object,
/// for the ELF and object-reader fuzz targets. Layout from the System V gABI (elf.h's Elf64_Ehdr, Elf64_Shdr).
/// </summary>
static class ElfFieldScanner
{
    const int ShdrSize = 64;

    public static FieldMap Scan(byte[] elf)
    {
        var map = new FieldMap();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1) return map;
        map.Fields.Add(new(0, FieldRole.Magic, 0, "e_ident magic"));
        map.Fields.Add(new(4, FieldRole.Magic, 0, "e_ident class/data/version"));
        map.Fields.Add(new(0x10, FieldRole.Value, 0, "e_type+e_machine"));
        map.Fields.Add(new(0x28, FieldRole.SectionOffset, 0, "e_shoff (low)"));
        map.Fields.Add(new(0x2c, FieldRole.SectionOffset, 0, "e_shoff (high)"));
        map.Fields.Add(new(0x34, FieldRole.HeaderLength, 0, "e_ehsize+e_phentsize"));
        map.Fields.Add(new(0x38, FieldRole.Count, 0, "e_phnum+e_shentsize"));
        map.Fields.Add(new(0x3c, FieldRole.Count, 0, "e_shnum+e_shstrndx"));

        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3c));
        if (shoff == 0 || shoff + (ulong)shnum * ShdrSize > (ulong)elf.Length) return map;
        map.RecordCount = (uint)shnum;
        for (int i = 0; i < shnum; i++)
        {
            int s = (int)shoff + i * ShdrSize;
            map.RecordStarts.Add(s);
            uint idx = (uint)i;
            map.Fields.Add(new(s, FieldRole.Name, idx, $"section {i} sh_name"));
            map.Fields.Add(new(s + 4, FieldRole.Value, idx, $"section {i} sh_type"));
            map.Fields.Add(new(s + 8, FieldRole.Value, idx, $"section {i} sh_flags"));
            map.Fields.Add(new(s + 24, FieldRole.SectionOffset, idx, $"section {i} sh_offset"));
            map.Fields.Add(new(s + 32, FieldRole.SectionLength, idx, $"section {i} sh_size"));
            map.Fields.Add(new(s + 40, FieldRole.TypeRef, idx, $"section {i} sh_link"));
            map.Fields.Add(new(s + 44, FieldRole.TypeRef, idx, $"section {i} sh_info"));
            map.Fields.Add(new(s + 56, FieldRole.Size, idx, $"section {i} sh_entsize"));
        }
        map.StructuredEnd = elf.Length;
        return map;
    }
}
