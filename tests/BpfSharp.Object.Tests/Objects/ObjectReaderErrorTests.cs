using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Object.Tests.Elf;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>Objects libbpf refuses are refused, with a message that names the map, program, symbol or section and says what to do.</summary>
public class ObjectReaderErrorTests
{
    const string Prelude = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>

        """;

    static ObjectFormatException Refused(string source, string extraArguments = "")
    {
        byte[] bytes = Toolchain.CompileBytes(Prelude + source, extraArguments);
        return Assert.Throws<ObjectFormatException>(() => ObjectReader.Read(bytes, "bad"));
    }

    static string UseMap(string map) => $$"""SEC("xdp") int p(void *ctx) { int k = 0; return bpf_map_lookup_elem(&{{map}}, &k) != 0; }""";

    [Fact]
    public void AKeyThatIsOnlyDeclaredNamesTheMapTheAttributeAndTheStruct()
    {
        var e = Refused("""
            struct flow;
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, struct flow); __type(value, int); } flows SEC(".maps");
            """ + UseMap("flows"));
        Assert.Contains("map 'flows'", e.Message);
        Assert.Contains("key type", e.Message);
        Assert.Contains("'struct flow', a forward declaration (BTF FWD)", e.Message);
        Assert.Contains("must be a complete type", e.Message);
    }

    [Fact]
    public void AMapsVariableThatIsNotAStructIsRefused()
    {
        var e = Refused("""int notamap SEC(".maps"); SEC("xdp") int p(void *ctx) { return notamap; }""");
        Assert.Contains("map 'notamap'", e.Message);
        Assert.Contains("must be a struct of __uint/__type/__array attributes", e.Message);
        Assert.Contains("struct { __uint(type, …); … } notamap SEC(\".maps\")", e.Message);
    }

    [Fact]
    public void AHashWithoutMaxEntriesIsRefused()
    {
        var e = Refused("""
            struct { __uint(type, BPF_MAP_TYPE_HASH); __type(key, int); __type(value, int); } counts SEC(".maps");
            """ + UseMap("counts"));
        Assert.Contains("map 'counts' (Hash) has no max_entries; add __uint(max_entries, N)", e.Message);
    }

    [Fact]
    public void AMapWithoutTypeIsRefused()
    {
        var e = Refused("""struct { __uint(max_entries, 8); __type(key, int); __type(value, int); } untyped SEC(".maps");""" + UseMap("untyped"));
        Assert.Contains("map 'untyped': its type is not specified; add __uint(type, BPF_MAP_TYPE_…)", e.Message);
    }

    [Fact]
    public void AnUnknownAttributeIsNamed()
    {
        var e = Refused("""
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, int); __type(value, int); __uint(colour, 3); } odd SEC(".maps");
            """ + UseMap("odd"));
        Assert.Contains("map 'odd': unknown attribute 'colour'", e.Message);
    }

    [Fact]
    public void ConflictingKeySizesAreNamed()
    {
        var e = Refused("""
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __uint(key_size, 8); __type(key, int); __type(value, int); } twice SEC(".maps");
            """ + UseMap("twice"));
        Assert.Contains("map 'twice': conflicting key sizes 8 and 4", e.Message);
    }

    [Fact]
    public void ValuesOnAHashAreRefused()
    {
        var e = Refused("""
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, int); __array(values, int (void *)); } h SEC(".maps");
            """ + UseMap("h"));
        Assert.Contains("'values' is only for map-in-map (ARRAY_OF_MAPS, HASH_OF_MAPS) and PROG_ARRAY maps, but the type is Hash", e.Message);
    }

    [Fact]
    public void AnInvalidPinningValueIsRefused()
    {
        var e = Refused("""
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, int); __type(value, int); __uint(pinning, 2); } pin SEC(".maps");
            """ + UseMap("pin"));
        Assert.Contains("map 'pin': pinning 2 is invalid", e.Message);
    }

    [Fact]
    public void AStaticMapIsRefused()
    {
        var e = Refused("""
            static struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, int); __type(value, int); } hidden_map SEC(".maps");
            """ + UseMap("hidden_map"));
        Assert.Contains("map 'hidden_map' is static; maps in '.maps' must be global variables: remove 'static'", e.Message);
    }

    [Fact]
    public void AStaticProgramIsRefused()
    {
        var e = Refused("""__attribute__((used)) SEC("xdp") static int quiet(void *ctx) { return 1; }""");
        Assert.Contains("program 'quiet' in section 'xdp' is static", e.Message);
    }

    [Fact]
    public void AnExternThatIsNeitherKconfigNorKsymIsRefused()
    {
        var e = Refused("""extern int somewhere; SEC("xdp") int p(void *ctx) { return somewhere; }""");
        Assert.Contains("extern 'somewhere' is in no BTF DATASEC; mark it __kconfig or __ksym", e.Message);
    }

    [Fact]
    public void MapsWithoutBtfAskForDashG()
    {
        var e = Refused("""
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, int); __type(value, int); } a SEC(".maps");
            """ + UseMap("a"), "-g0");
        Assert.Contains("compile with clang -g", e.Message);
    }

    [Fact]
    public void AnUnsupportedKconfigTypeIsNamed()
    {
        var e = Refused("""
            struct opts { int a; };
            extern struct opts CONFIG_ODD __kconfig;
            SEC("xdp") int p(void *ctx) { return CONFIG_ODD.a; }
            """);
        Assert.Contains("extern (kconfig) 'CONFIG_ODD'", e.Message);
        Assert.Contains("is unsupported; use bool, char, a 1/2/4/8-byte integer, enum libbpf_tristate or a char array", e.Message);
    }

    [Fact]
    public void ARelocationAgainstANonDataSectionNamesProgramInstructionAndSymbol()
    {
        byte[] bytes = Toolchain.CompileBytes(Prelude + """
            char LICENSE[] SEC("license") = "GPL";
            int counter;
            SEC("xdp") int count(void *ctx) { return ++counter; }
            """);
        // Point the program's relocation (against 'counter') at the LICENSE symbol instead.
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSymbolTable symbols = elf.GetSymbolTable();
        uint license = (uint)symbols.Find("LICENSE")!.Value.Index;
        ElfSection rel = elf.FindSection(".relxdp")!;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)rel.Offset + 12), license);

        var e = Assert.Throws<ObjectFormatException>(() => ObjectReader.Read(bytes, "bad"));
        Assert.Contains("program 'count' (section 'xdp'), instruction 0", e.Message);
        Assert.Contains("refers to 'LICENSE' in section 'license'", e.Message);
        Assert.Contains("neither a map section (.maps) nor global data", e.Message);
    }

    [Fact]
    public void ARelocationOnAnInstructionThatCannotBeRelocatedIsNamed()
    {
        byte[] bytes = Toolchain.CompileBytes(Prelude + """
            int counter;
            SEC("xdp") int count(void *ctx) { return ++counter; }
            """);
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSection rel = elf.FindSection(".relxdp")!;
        // Move the relocation from the ld_imm64 at slot 0 to the load after it (slot 2).
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)rel.Offset), 16);

        var e = Assert.Throws<ObjectFormatException>(() => ObjectReader.Read(bytes, "bad"));
        Assert.Contains("program 'count' (section 'xdp'), instruction 1", e.Message);
        Assert.Contains("relocation against 'counter' on an instruction that is neither a call nor a ld_imm64", e.Message);
    }

    [Fact]
    public void ALegacyMapWithUnknownNonZeroFieldsIsRefused()
    {
        var e = Refused("""
            struct bpf_map_def_ext { unsigned int type, key_size, value_size, max_entries, map_flags, inner_map_idx; };
            struct bpf_map_def_ext old SEC("maps") = { BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 7 };
            SEC("xdp") int p(void *ctx) { int k = 0; return bpf_map_lookup_elem(&old, &k) != 0; }
            """);
        Assert.Contains("legacy map 'old': byte 20 of its 24-byte definition is not zero", e.Message);
    }

    [Fact]
    public void AnExternWithoutBtfAsksForDashG()
    {
        var e = Refused("""
            extern int CONFIG_HZ __kconfig;
            SEC("xdp") int p(void *ctx) { return CONFIG_HZ; }
            """, "-g0");
        Assert.Contains("extern 'CONFIG_HZ' needs BTF", e.Message);
        Assert.Contains("compile with clang -g", e.Message);
    }
}
