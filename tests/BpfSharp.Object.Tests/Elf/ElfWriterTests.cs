using BpfSharp.Elf;
using Xunit;

namespace BpfSharp.Object.Tests.Elf;

public class ElfWriterTests
{
    /// <summary>Copies every section, symbol and relocation of <paramref name="original"/> through an <see cref="ElfWriter"/>.</summary>
    static byte[] Rewrite(byte[] original)
    {
        ElfFile elf = ElfFile.Parse(original);
        var writer = new ElfWriter();
        var ids = new Dictionary<int, ElfSectionId>();
        foreach (ElfSection s in elf.Sections)
        {
            if (s.Index == 0 || s.Type is ElfSectionType.SymbolTable or ElfSectionType.StringTable or ElfSectionType.Relocations
                or ElfSectionType.LlvmAddrsig)
                continue;
            ids[s.Index] = s.Type == ElfSectionType.NoBits
                ? writer.AddNoBitsSection(s.Name, s.Size, s.Flags, s.Alignment)
                : writer.AddSection(s.Name, elf.GetData(s), s.Flags, s.Alignment, s.Type, s.EntrySize);
        }
        ElfSymbolTable symbols = elf.GetSymbolTable();
        var symbolIds = new ElfSymbolId[symbols.Count];
        for (int i = 1; i < symbols.Count; i++)
        {
            ElfSymbol s = symbols[i];
            ElfSectionId section = s.SectionIndex switch
            {
                ElfConstants.SectionUndefined => ElfSectionId.Undefined,
                ElfConstants.SectionAbsolute => ElfSectionId.Absolute,
                ushort index => ids[index],
            };
            symbolIds[i] = writer.AddSymbol(symbols.GetName(s), s.Type, s.Binding, section, s.Value, s.Size, s.Visibility);
        }
        foreach (ElfSection s in elf.Sections.Where(s => s.Type == ElfSectionType.Relocations))
        {
            ElfRelocationTable table = elf.GetRelocations(s);
            for (int i = 0; i < table.Count; i++)
                writer.AddRelocation(ids[table.TargetSectionIndex], table[i].Offset, symbolIds[table[i].SymbolIndex], table[i].Type);
        }
        return writer.ToArray();
    }

    static List<string> Describe(byte[] bytes)
    {
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSymbolTable symbols = elf.GetSymbolTable();
        var lines = new List<string>();
        foreach (ElfSection s in elf.Sections)
        {
            if (s.Index == 0 || s.Type is ElfSectionType.SymbolTable or ElfSectionType.StringTable or ElfSectionType.LlvmAddrsig) continue;
            if (s.Type == ElfSectionType.Relocations)
            {
                ElfRelocationTable table = elf.GetRelocations(s);
                for (int i = 0; i < table.Count; i++)
                {
                    ElfSymbol target = symbols[(int)table[i].SymbolIndex];
                    string name = target.Type == ElfSymbolType.Section ? elf.Sections[target.SectionIndex].Name : symbols.GetName(target);
                    lines.Add($"rel {s.Name} -> {elf.Sections[table.TargetSectionIndex].Name} @{table[i].Offset} {table[i].BpfType} {name}");
                }
                continue;
            }
            lines.Add($"sec {s.Name} {s.Type} {s.Flags} size={s.Size} align={s.Alignment} es={s.EntrySize} data={Convert.ToHexString(elf.GetData(s))}");
        }
        for (int i = 1; i < symbols.Count; i++)
        {
            ElfSymbol s = symbols[i];
            string section = s.IsInSection ? elf.Sections[s.SectionIndex].Name : s.SectionIndex.ToString();
            lines.Add($"sym {symbols.GetName(s)} {s.Type} {s.Binding} {s.Visibility} {section} value={s.Value} size={s.Size}");
        }
        return lines;
    }

    [Fact]
    public void AClangObjectWrittenBackReadsTheSame()
    {
        byte[] original = Toolchain.CompileBytes(ElfSamples.Everything);
        byte[] rewritten = Rewrite(original);
        Assert.Equal(Describe(original), Describe(rewritten));
    }

    [Fact]
    public void LlvmReadelfAndObjdumpAcceptTheWrittenFileAndSeeTheSameCode()
    {
        string originalPath = Toolchain.Compile(ElfSamples.Everything);
        string rewrittenPath = Toolchain.WriteTemp(Rewrite(File.ReadAllBytes(originalPath)), "rewritten.o");

        var (exit, _, error) = Toolchain.Run("llvm-readelf-19", $"-a {rewrittenPath}");
        Assert.Equal(0, exit);
        Assert.Equal("", error); // llvm-readelf prints warnings for anything malformed

        static string Code(string path) => Toolchain.Output("llvm-objdump-19", $"-d -r {path}").Replace(path, "FILE");
        Assert.Equal(Code(originalPath), Code(rewrittenPath));
    }

    [Fact]
    public void BpftoolReadsTheWrittenFilesBtf()
    {
        string originalPath = Toolchain.Compile(ElfSamples.Everything);
        string rewrittenPath = Toolchain.WriteTemp(Rewrite(File.ReadAllBytes(originalPath)), "rewritten-btf.o");
        string expected = Toolchain.Output("bpftool", $"btf dump file {originalPath}");
        Assert.Contains("DATASEC '.maps'", expected);
        Assert.Equal(expected, Toolchain.Output("bpftool", $"btf dump file {rewrittenPath}"));
    }

    [Fact]
    public void LocalSymbolsComeFirstWhateverTheOrderTheyWereAdded()
    {
        var writer = new ElfWriter();
        ElfSectionId text = writer.AddSection(".text", new byte[16], ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr);
        ElfSectionId prog = writer.AddSection("xdp", new byte[16], ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr);
        ElfSymbolId global = writer.AddSymbol("main", ElfSymbolType.Func, ElfSymbolBinding.Global, prog, 0, 16);
        ElfSymbolId local = writer.AddSymbol("helper", ElfSymbolType.Func, ElfSymbolBinding.Local, text, 0, 16);
        ElfSymbolId external = writer.AddSymbol("bpf_kfunc", ElfSymbolType.NoType, ElfSymbolBinding.Global, ElfSectionId.Undefined);
        writer.AddRelocation(prog, 0, local, BpfRelocationType.Call32);
        writer.AddRelocation(prog, 8, external, BpfRelocationType.Call32);
        writer.AddRelocation(prog, 8, global, BpfRelocationType.Imm64);

        ElfFile elf = ElfFile.Parse(writer.ToArray());
        ElfSymbolTable symbols = elf.GetSymbolTable();
        var names = new List<string>();
        for (int i = 0; i < symbols.Count; i++) names.Add(symbols.GetName(symbols[i]));
        Assert.Equal(["", "helper", "main", "bpf_kfunc"], names);
        Assert.Equal(2, symbols.FirstGlobal);
        Assert.Equal([".strtab", ".text", "xdp", ".relxdp", ".symtab"], elf.Sections.Skip(1).Select(s => s.Name));
        ElfRelocationTable relocations = elf.GetRelocations(elf.FindSection(".relxdp")!);
        Assert.Equal(elf.FindSection("xdp")!.Index, relocations.TargetSectionIndex);
        var targets = new List<string>();
        for (int i = 0; i < relocations.Count; i++) targets.Add(symbols.GetName(symbols[(int)relocations[i].SymbolIndex]));
        Assert.Equal(["helper", "bpf_kfunc", "main"], targets);
        Assert.Equal(elf.FindSection(".text")!.Index, symbols[1].SectionIndex);
    }
}
