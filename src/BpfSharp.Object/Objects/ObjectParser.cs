using System.Buffers.Binary;
using System.Text;
using BpfSharp.Btf;
using BpfSharp.Btf.Ext;
using BpfSharp.Elf;

namespace BpfSharp.Objects;

/// <summary>
/// One read of one object. The steps follow libbpf's open: classify sections, collect programs, externs, fix up
/// BTF, build maps, record relocations, then link each program with its subprograms.
/// </summary>
internal sealed partial class ObjectParser
{
    internal const string TextSection = ".text";
    internal const string BtfMapsSection = ".maps";
    internal const string LegacyMapsSection = "maps";
    internal const string KconfigSection = ".kconfig";
    internal const string KsymsSection = ".ksyms";

    readonly byte[] file;
    readonly string objectName;
    readonly List<string> warnings = [];

    ElfSection[] sections = [];
    SectionKind[] kinds = [];
    Symbol[] symbols = [];
    int symbolTableIndex;
    int textIndex = -1;
    int btfMapsIndex = -1;
    int legacyMapsIndex = -1;

    RawBtf? rawBtf;
    BtfSpec? btf;
    BtfExt? btfExt;

    public ObjectParser(byte[] file, string objectName)
    {
        this.file = file;
        this.objectName = objectName;
    }

    /// <summary>A symbol with its name decoded.</summary>
    internal readonly record struct Symbol(ElfSymbol Elf, string Name)
    {
        public int SectionIndex => Elf.SectionIndex;
        public ulong Value => Elf.Value;
    }

    enum SectionKind
    {
        Other,
        Ignored,
        Program,
        Text,
        BtfMaps,
        LegacyMaps,
        Data,
        ReadOnlyData,
        Bss,
        StructOps,
        Arena,
        License,
        Version,
        Btf,
        BtfExt,
        SymbolTable,
        StringTable,
        Relocations,
    }

    public ObjectSpec Parse()
    {
        ElfFile elf = ElfFile.Parse(file);
        sections = [.. elf.Sections];
        ReadSymbols(elf);
        ClassifySections();
        LoadBtf();

        string license = ReadLicense();
        uint version = ReadVersion();
        CollectFunctions();
        List<ExternDefinition> externDefinitions = CollectExterns();
        FixDataSections();
        MarkHiddenSubprogramsStatic();
        if (rawBtf is not null)
            btf = BtfSpec.Parse(rawBtf.ToArray());

        List<MapDefinition> maps = BuildMaps(externDefinitions);
        RecordProgramRelocations();
        List<ProgramDefinition> programs = LinkPrograms();
        maps = ApplyMapRelocations(maps, programs);

        return new ObjectSpec
        {
            Name = objectName,
            License = license,
            KernelVersion = version,
            Btf = btf,
            RawBtf = rawBtf?.ToArray() ?? ReadOnlyMemory<byte>.Empty,
            Programs = programs,
            Maps = maps,
            Externs = externDefinitions,
            Sections = Summaries(),
            Warnings = warnings,
        };
    }

    // ---- sections and symbols ----

    void ReadSymbols(ElfFile elf)
    {
        ElfSymbolTable table = elf.GetSymbolTable();
        if (table.SectionIndex == 0)
            throw new ObjectFormatException("the object has no symbol table (was it stripped?); eBPF objects need their symbols, do not strip them.");
        symbolTableIndex = table.SectionIndex;
        symbols = new Symbol[table.Count];
        for (int i = 0; i < table.Count; i++)
        {
            ElfSymbol s = table[i];
            symbols[i] = new Symbol(s, table.GetName(s));
        }
    }

    void ClassifySections()
    {
        kinds = new SectionKind[sections.Length];
        for (int i = 1; i < sections.Length; i++)
        {
            ElfSection s = sections[i];
            kinds[i] = Classify(s);
            switch (kinds[i])
            {
                case SectionKind.Text: textIndex = i; break;
                case SectionKind.BtfMaps: btfMapsIndex = i; break;
                case SectionKind.LegacyMaps: legacyMapsIndex = i; break;
            }
        }
    }

    SectionKind Classify(ElfSection s)
    {
        string name = s.Name;
        if (s.Type == ElfSectionType.SymbolTable) return SectionKind.SymbolTable;
        if (s.Type == ElfSectionType.StringTable) return SectionKind.StringTable;
        if (s.Type == ElfSectionType.LlvmAddrsig || name.StartsWith(".debug_", StringComparison.Ordinal)) return SectionKind.Ignored;
        if (s.Type == ElfSectionType.ProgBits && s.Size == 0 && name == TextSection) return SectionKind.Ignored;
        switch (name)
        {
            case "license": return SectionKind.License;
            case "version": return SectionKind.Version;
            case LegacyMapsSection: return SectionKind.LegacyMaps;
            case BtfMapsSection: return SectionKind.BtfMaps;
            case ".BTF": return SectionKind.Btf;
            case ".BTF.ext": return SectionKind.BtfExt;
        }
        if (s.Type == ElfSectionType.ProgBits && s.Size > 0)
        {
            if (s.IsExecutable) return name == TextSection ? SectionKind.Text : SectionKind.Program;
            if (IsNamed(name, ".data")) return SectionKind.Data;
            if (IsNamed(name, ".rodata")) return SectionKind.ReadOnlyData;
            if (name is ".struct_ops" or ".struct_ops.link" or "?.struct_ops" or "?.struct_ops.link") return SectionKind.StructOps;
            if (name == ".addr_space.1") return SectionKind.Arena;
            warnings.Add($"section {s.Index} '{name}': unrecognised data section, skipped.");
            return SectionKind.Other;
        }
        if (s.Type == ElfSectionType.Relocations)
        {
            if (s.Info < (uint)sections.Length)
            {
                ElfSection target = sections[s.Info];
                if (target.IsExecutable || target.Name is BtfMapsSection or ".struct_ops" or ".struct_ops.link" or "?.struct_ops" or "?.struct_ops.link")
                    return SectionKind.Relocations;
            }
            return SectionKind.Ignored; // DWARF, .BTF, .BTF.ext and data relocations are not used by a loader
        }
        if (s.Type == ElfSectionType.NoBits && IsNamed(name, ".bss")) return SectionKind.Bss;
        return SectionKind.Other;
    }

    /// <summary>True for <paramref name="prefix"/> itself and <c>prefix.anything</c>.</summary>
    static bool IsNamed(string name, string prefix) =>
        name == prefix || (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length] == '.');

    ReadOnlySpan<byte> Data(int section) => Data(sections[section]);

    ReadOnlySpan<byte> Data(ElfSection s) =>
        s.Type is ElfSectionType.NoBits or ElfSectionType.Null ? default : file.AsSpan((int)s.Offset, (int)s.Size);

    ReadOnlyMemory<byte> Memory(ElfSection s) =>
        s.Type is ElfSectionType.NoBits or ElfSectionType.Null ? ReadOnlyMemory<byte>.Empty : file.AsMemory((int)s.Offset, (int)s.Size);

    ElfSection? FindSection(string name) => sections.FirstOrDefault(s => s.Index != 0 && s.Name == name);

    string SectionName(int index) => (uint)index < (uint)sections.Length ? sections[index].Name : $"#{index}";

    /// <summary>The symbol's name, or its section's name for an unnamed section symbol (how libbpf and llvm show it).</summary>
    string DisplayName(in Symbol symbol) =>
        symbol.Name.Length == 0 && symbol.Elf.Type == ElfSymbolType.Section ? SectionName(symbol.SectionIndex) : symbol.Name;

    Symbol GetSymbol(uint index, string user) =>
        index < (uint)symbols.Length
            ? symbols[index]
            : throw new ObjectFormatException($"{user}: symbol index {index} is outside the symbol table ({symbols.Length} symbols); the object is corrupt, recompile it.");

    string ReadLicense()
    {
        ElfSection? s = sections.FirstOrDefault(x => x.Index != 0 && kinds[x.Index] == SectionKind.License);
        if (s is null) return "";
        ReadOnlySpan<byte> data = Data(s);
        int end = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? data : data[..end]);
    }

    uint ReadVersion()
    {
        ElfSection? s = sections.FirstOrDefault(x => x.Index != 0 && kinds[x.Index] == SectionKind.Version);
        if (s is null) return 0;
        if (s.Size != 4)
            throw new ObjectFormatException($"section 'version' is {s.Size} bytes; it must hold one 4-byte kernel version (LINUX_VERSION_CODE) or be left out.");
        return BinaryPrimitives.ReadUInt32LittleEndian(Data(s));
    }

    void LoadBtf()
    {
        ElfSection? btfSection = sections.FirstOrDefault(s => s.Index != 0 && kinds[s.Index] == SectionKind.Btf);
        if (btfSection is null) return;
        if (btfSection.Type != ElfSectionType.ProgBits)
            throw new ObjectFormatException($"section '.BTF' is of type {btfSection.Type}; it must be PROGBITS.");
        try
        {
            rawBtf = new RawBtf(Data(btfSection));
            btf = BtfSpec.Parse(rawBtf.ToArray());
        }
        catch (BtfFormatException e) when (!NeedsBtf())
        {
            warnings.Add($".BTF cannot be read and is ignored (the object does not need it): {e.Message}");
            rawBtf = null;
            btf = null;
            return;
        }
        ElfSection? ext = sections.FirstOrDefault(s => s.Index != 0 && kinds[s.Index] == SectionKind.BtfExt);
        if (ext is null) return;
        try
        {
            btfExt = BtfExt.Parse(Data(ext), rawBtf.Strings);
        }
        catch (BtfFormatException e)
        {
            // libbpf ignores a .BTF.ext it cannot parse: programs load without func and line info.
            warnings.Add($".BTF.ext cannot be read and is ignored (programs get no func_info, line_info or CO-RE relocations): {e.Message}");
        }
    }

    /// <summary>libbpf's rule: BTF is required for BTF-defined maps, struct_ops and externs.</summary>
    bool NeedsBtf() =>
        btfMapsIndex >= 0
        || kinds.Contains(SectionKind.StructOps)
        || symbols.Any(s => IsExtern(s.Elf) && s.Name.Length > 0);

    /// <summary>An undefined global or weak symbol: something the loader resolves (a kconfig value, a kernel symbol or kfunc).</summary>
    static bool IsExtern(in ElfSymbol s) =>
        s.IsUndefined && s.Binding is ElfSymbolBinding.Global or ElfSymbolBinding.Weak && s.Type is ElfSymbolType.NoType or ElfSymbolType.Func or ElfSymbolType.Object;

    List<SectionSummary> Summaries()
    {
        var list = new List<SectionSummary>(sections.Length);
        for (int i = 1; i < sections.Length; i++)
        {
            SectionRole role = kinds[i] switch
            {
                SectionKind.Program => SectionRole.Program,
                SectionKind.Text => SectionRole.Text,
                SectionKind.BtfMaps => SectionRole.Maps,
                SectionKind.LegacyMaps => SectionRole.LegacyMaps,
                SectionKind.Data => SectionRole.Data,
                SectionKind.ReadOnlyData => SectionRole.ReadOnlyData,
                SectionKind.Bss => SectionRole.Bss,
                SectionKind.StructOps => SectionRole.StructOps,
                SectionKind.License => SectionRole.License,
                SectionKind.Version => SectionRole.Version,
                SectionKind.Btf => SectionRole.Btf,
                SectionKind.BtfExt => SectionRole.BtfExt,
                SectionKind.SymbolTable => SectionRole.SymbolTable,
                SectionKind.StringTable => SectionRole.StringTable,
                _ when sections[i].IsRelocationSection => SectionRole.Relocations,
                _ => SectionRole.Other,
            };
            list.Add(new SectionSummary(i, sections[i].Name, role, sections[i].Size));
        }
        return list;
    }
}
