using System.Buffers.Binary;
using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>SizeOf and Alignment against clang's own <c>sizeof</c> and <c>_Alignof</c> for the same types.</summary>
public class BtfLayoutTests
{
    // The order of FACT(...) in layout_facts.bpf.c: (name, kind).
    static readonly (string Name, BtfKind Kind)[] Names =
    [
        ("plain", BtfKind.Struct), ("packed_s", BtfKind.Struct), ("aligned2", BtfKind.Struct), ("bits", BtfKind.Struct),
        ("mixed", BtfKind.Union), ("with_array", BtfKind.Struct), ("nested", BtfKind.Struct), ("empty_tail", BtfKind.Struct),
        ("plain_t", BtfKind.Typedef), ("small_enum", BtfKind.Enum), ("holder", BtfKind.Struct),
    ];

    [Fact]
    public void SizesAndAlignmentsMatchClang()
    {
        Dictionary<string, byte[]> sections = BtfTools.CompileSections("layout_facts.bpf.c", [".BTF", ".data.facts"]);
        BtfSpec spec = BtfSpec.Parse(sections[".BTF"]);
        byte[] facts = sections[".data.facts"];
        Assert.Equal(Names.Length * 8, facts.Length);
        for (int i = 0; i < Names.Length; i++)
        {
            BtfType t = spec.Find(Names[i].Name, Names[i].Kind) ?? throw new Xunit.Sdk.XunitException($"no {Names[i]} in the fixture's BTF");
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(facts.AsSpan(8 * i));
            uint align = BinaryPrimitives.ReadUInt32LittleEndian(facts.AsSpan(8 * i + 4));
            Assert.True(size == spec.SizeOf(t.Id), $"sizeof {t}: clang {size}, BtfSpec {spec.SizeOf(t.Id)}");
            // BTF records no alignment attributes: for aligned(2) on a packed struct libbpf's rule (and ours) sees
            // only the packing and answers 1.
            uint expected = t.Name == "aligned2" ? 1 : align;
            Assert.True(expected == spec.Alignment(t.Id), $"_Alignof {t}: clang {align}, BtfSpec {spec.Alignment(t.Id)}");
        }
    }

    [Theory]
    [InlineData("vmlinux")]
    [InlineData("every_kind.bpf.c")]
    [InlineData("layout_facts.bpf.c")]
    public void SizesAndAlignmentsOfEveryTypeMatchLibbpf(string source)
    {
        byte[] blob = source == "vmlinux" ? BtfTools.Vmlinux() : BtfTools.CompileBtf(source);
        BtfSpec spec = BtfSpec.Parse(blob);
        string[] libbpf = BtfTools.LibbpfLayout(blob).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(spec.TypeCount - 1, libbpf.Length);
        foreach (string line in libbpf)
        {
            string[] f = line.Split(' ');
            uint id = uint.Parse(f[0]);
            Assert.True(f[1] == Answer(() => spec.SizeOf(id)), $"size of {spec[id]}: libbpf '{f[1]}', BtfSpec '{Answer(() => spec.SizeOf(id))}'");
            Assert.True(f[2] == Answer(() => spec.Alignment(id)), $"alignment of {spec[id]}: libbpf '{f[2]}', BtfSpec '{Answer(() => spec.Alignment(id))}'");
        }

        static string Answer(Func<long> query)
        {
            try
            {
                return query().ToString();
            }
            catch (BtfFormatException)
            {
                return "";
            }
        }
    }

    [Fact]
    public void SizeOfFollowsModifiersVarsAndArrays()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("layout_facts.bpf.c"));
        BtfType holder = spec.Find("the_holder", BtfKind.Var)!;
        Assert.Equal(spec.SizeOf(holder.TypeId), spec.SizeOf(holder.Id));
        BtfMember k = spec.Find("holder", BtfKind.Struct)!.Members.Single(m => m.Name == "k");
        Assert.Equal(2 * spec.SizeOf(spec.Find("plain", BtfKind.Struct)!.Id), spec.SizeOf(k.TypeId));
        Assert.Equal(BtfKind.Array, spec.SkipModifiers(k.TypeId).Kind);
        Assert.Throws<BtfFormatException>(() => spec.SizeOf(0));
    }
}
