using System.Buffers.Binary;
using System.Text.Json;
using BpfSharp.Elf;
using Xunit;

namespace BpfSharp.Object.Tests.Elf;

public class ElfFileTests
{
    [Fact]
    public void SectionsSymbolsAndRelocationsAreWhatLlvmReadelfSees()
    {
        string path = Toolchain.Compile(ElfSamples.Everything);
        byte[] bytes = File.ReadAllBytes(path);
        using JsonDocument json = JsonDocument.Parse(Toolchain.Output("llvm-readelf-19", $"--elf-output-style=JSON -S -s -r {path}"));
        JsonElement root = json.RootElement[0];
        ElfFile elf = ElfFile.Parse(bytes);

        var sections = root.GetProperty("Sections").EnumerateArray().Select(s => s.GetProperty("Section")).ToList();
        Assert.Equal(sections.Count, elf.Sections.Count);
        foreach (JsonElement expected in sections)
        {
            ElfSection actual = elf.Sections[expected.GetProperty("Index").GetInt32()];
            Assert.Equal(expected.GetProperty("Name").GetProperty("Name").GetString(), actual.Name);
            Assert.Equal(expected.GetProperty("Type").GetProperty("Value").GetUInt32(), (uint)actual.Type);
            Assert.Equal(expected.GetProperty("Flags").GetProperty("Value").GetUInt64(), (ulong)actual.Flags);
            Assert.Equal(expected.GetProperty("Offset").GetUInt64(), actual.Offset);
            Assert.Equal(expected.GetProperty("Size").GetUInt64(), actual.Size);
            Assert.Equal(expected.GetProperty("Link").GetUInt32(), actual.Link);
            Assert.Equal(expected.GetProperty("Info").GetUInt32(), actual.Info);
            Assert.Equal(expected.GetProperty("AddressAlignment").GetUInt64(), actual.Alignment);
            Assert.Equal(expected.GetProperty("EntrySize").GetUInt64(), actual.EntrySize);
        }

        ElfSymbolTable symbols = elf.GetSymbolTable();
        var expectedSymbols = root.GetProperty("Symbols").EnumerateArray().Select(s => s.GetProperty("Symbol")).ToList();
        Assert.Equal(expectedSymbols.Count, symbols.Count);
        for (int i = 0; i < symbols.Count; i++)
        {
            JsonElement expected = expectedSymbols[i];
            ElfSymbol actual = symbols[i];
            // llvm-readelf shows a section symbol under its section's name; the symbol itself is unnamed.
            string expectedName = expected.GetProperty("Type").GetProperty("Value").GetByte() == (byte)ElfSymbolType.Section
                ? "" : expected.GetProperty("Name").GetProperty("Name").GetString()!;
            Assert.Equal(expectedName, symbols.GetName(actual));
            Assert.Equal(expected.GetProperty("Value").GetUInt64(), actual.Value);
            Assert.Equal(expected.GetProperty("Size").GetUInt64(), actual.Size);
            Assert.Equal(expected.GetProperty("Binding").GetProperty("Value").GetByte(), (byte)actual.Binding);
            Assert.Equal(expected.GetProperty("Type").GetProperty("Value").GetByte(), (byte)actual.Type);
            Assert.Equal(expected.GetProperty("Section").GetProperty("Value").GetUInt16(), actual.SectionIndex);
        }

        int relocationSections = 0;
        foreach (JsonElement group in root.GetProperty("Relocations").EnumerateArray())
        {
            relocationSections++;
            ElfRelocationTable table = elf.GetRelocations(elf.Sections[group.GetProperty("SectionIndex").GetInt32()]);
            var expected = group.GetProperty("Relocs").EnumerateArray().Select(r => r.GetProperty("Relocation")).ToList();
            Assert.Equal(expected.Count, table.Count);
            for (int i = 0; i < table.Count; i++)
            {
                ElfRelocation r = table[i];
                Assert.Equal(expected[i].GetProperty("Offset").GetUInt64(), r.Offset);
                Assert.Equal(expected[i].GetProperty("Type").GetProperty("Value").GetUInt32(), r.Type);
                Assert.Equal(expected[i].GetProperty("Symbol").GetProperty("Value").GetUInt32(), r.SymbolIndex);
            }
        }
        Assert.Equal(elf.Sections.Count(s => s.IsRelocationSection), relocationSections);
    }

    [Fact]
    public void SectionDataIsTheFileBytesInPlace()
    {
        byte[] bytes = Toolchain.CompileBytes(ElfSamples.Everything);
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSection license = elf.FindSection("license")!;
        Assert.Equal("GPL\0"u8.ToArray(), elf.GetData(license).ToArray());
        Assert.True(elf.GetData(license).Overlaps(bytes));
        Assert.Equal(0, elf.GetData(elf.FindSection(".bss")!).Length); // NOBITS: nothing in the file
        Assert.Equal(8ul, elf.FindSection(".bss")!.Size);
        Assert.Equal("prog1", elf.GetSymbolTable().GetName(elf.GetSymbolTable().Find("prog1")!.Value));
    }

    [Fact]
    public void BigEndianObjectsAreRejectedWithTheFix()
    {
        byte[] bytes = Toolchain.CompileBytes("int x;", target: "bpfeb");
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));
        Assert.Contains("big-endian", e.Message);
        Assert.Contains("-target bpf", e.Message);
        Assert.IsAssignableFrom<BpfFormatException>(e);
    }

    [Fact]
    public void HostObjectsAreRejectedNamingTheMachine()
    {
        byte[] bytes = Toolchain.CompileBytes("int x;", target: "");
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));
        Assert.Contains("e_machine", e.Message);
        Assert.Contains("247 (EM_BPF)", e.Message);
    }

    [Fact]
    public void ThirtyTwoBitFilesAreRejected()
    {
        byte[] bytes = Toolchain.CompileBytes("int x;");
        bytes[4] = 1;
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));
        Assert.Contains("32-bit", e.Message);
    }

    [Theory]
    [InlineData(new byte[0], "not an ELF file")]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "header needs 64 bytes")]
    [InlineData(new byte[] { (byte)'M', (byte)'Z', 0x90, 0 }, "not an ELF file")]
    public void ShortOrForeignFilesAreRejected(byte[] bytes, string expected)
    {
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ASectionHeaderTableOutsideTheFileIsReported()
    {
        byte[] bytes = Toolchain.CompileBytes("int x;");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), (ulong)bytes.Length - 10);
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));
        Assert.Contains("section header table", e.Message);
    }

    [Fact]
    public void SectionDataPastTheEndIsReportedWithTheSection()
    {
        byte[] bytes = Toolchain.CompileBytes("int x = 1;");
        ElfFile elf = ElfFile.Parse(bytes);
        int data = elf.FindSection(".data")!.Index;
        int header = (int)elf.Header.SectionHeaderOffset + data * 64;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(header + 32), 1ul << 40);
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes));
        Assert.Contains($"section {data}", e.Message);
        Assert.Contains("runs past the end of the file", e.Message);
    }

    [Fact]
    public void ASymbolTableWithTheWrongEntrySizeIsReported()
    {
        byte[] bytes = Toolchain.CompileBytes("int x = 1;");
        ElfFile elf = ElfFile.Parse(bytes);
        int symtab = elf.Sections.Single(s => s.Type == ElfSectionType.SymbolTable).Index;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)elf.Header.SectionHeaderOffset + symtab * 64 + 56), 16);
        var e = Assert.Throws<ElfFormatException>(() => ElfFile.Parse(bytes).GetSymbolTable());
        Assert.Contains("entry size 16", e.Message);
    }

    [Fact]
    public void ASymbolNameOutsideTheStringTableIsReported()
    {
        byte[] bytes = Toolchain.CompileBytes("int x = 1;");
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSection symtab = elf.Sections.Single(s => s.Type == ElfSectionType.SymbolTable);
        int last = (int)symtab.Offset + (int)symtab.Size - 24;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(last), 0x7fff_0000);
        ElfSymbolTable symbols = ElfFile.Parse(bytes).GetSymbolTable();
        ElfSymbol broken = symbols[symbols.Count - 1];
        ElfFormatException? e = null;
        try { symbols.GetName(broken); } catch (ElfFormatException caught) { e = caught; }
        Assert.NotNull(e);
        Assert.Contains($"symbol {symbols.Count - 1}", e.Message);
        Assert.Contains("outside string table", e.Message);
    }

    [Fact]
    public void TruncatedAndBitFlippedObjectsGiveAResultOrAnElfError()
    {
        byte[] original = Toolchain.CompileBytes(ElfSamples.Everything);
        var random = new Random(1234);
        int errors = 0;
        for (int round = 0; round < 3000; round++)
        {
            byte[] bytes;
            if (round % 3 == 0)
            {
                bytes = original.AsSpan(0, random.Next(original.Length)).ToArray();
            }
            else
            {
                bytes = (byte[])original.Clone();
                // Flip bits in the headers most of the time: that is where the offsets and counts are.
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    int at = random.Next(2) == 0 ? random.Next(64) : (int)(BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(40)) + (ulong)random.Next(original.Length - (int)BinaryPrimitives.ReadUInt64LittleEndian(original.AsSpan(40))));
                    if (random.Next(4) == 0) at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }
            }
            try
            {
                Walk(bytes);
            }
            catch (ElfFormatException)
            {
                errors++;
            }
        }
        Assert.InRange(errors, 1000, 3000); // most corruptions are caught; none crashed
    }

    static void Walk(byte[] bytes)
    {
        ElfFile elf = ElfFile.Parse(bytes);
        foreach (ElfSection s in elf.Sections) _ = elf.GetData(s).Length;
        ElfSymbolTable symbols = elf.GetSymbolTable();
        for (int i = 0; i < symbols.Count; i++) _ = symbols.GetName(symbols[i]);
        foreach (ElfSection s in elf.Sections)
        {
            if (!s.IsRelocationSection) continue;
            ElfRelocationTable table = elf.GetRelocations(s);
            for (int i = 0; i < table.Count; i++) _ = symbols[(int)Math.Min(table[i].SymbolIndex, int.MaxValue)];
        }
    }
}
