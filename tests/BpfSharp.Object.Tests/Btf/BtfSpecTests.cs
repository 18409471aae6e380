using System.Buffers.Binary;
using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

public class BtfSpecTests
{
    [Fact]
    public void EveryTypeOfVmlinuxReadsAsBpftoolReadsIt()
    {
        byte[] blob = BtfTools.Vmlinux();
        BtfSpec spec = BtfSpec.Parse(blob);
        BpftoolRawFormat.AssertSameAsBpftool(spec, BtfTools.BpftoolRawDump(blob));
    }

    [Fact]
    public void EveryKindClangEmitsReadsAsBpftoolReadsIt()
    {
        byte[] blob = BtfTools.CompileBtf("every_kind.bpf.c");
        BtfSpec spec = BtfSpec.Parse(blob);
        BpftoolRawFormat.AssertSameAsBpftool(spec, BtfTools.BpftoolRawDump(blob));
        // The fixture covers all 19 kinds.
        Assert.Equal(Enum.GetValues<BtfKind>().Where(k => k != BtfKind.Unknown).Order(), spec.Types.Skip(1).Select(t => t.Kind).Distinct().Order());
    }

    [Fact]
    public void KindSpecificPropertiesOfTheFixture()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("every_kind.bpf.c"));
        BtfType node = spec.Find("node", BtfKind.Struct)!;
        BtfType log = spec.SkipModifiers(spec[node.Members.Single(m => m.Name == "log").TypeId].TypeId);
        Assert.True(log.IsVariadic);
        Assert.Equal(2, log.Parameters.Count);
        Assert.True(spec[spec[node.Members.Single(m => m.Name == "u").TypeId].TypeId].IsForwardUnion);
        Assert.False(spec[spec[node.Members.Single(m => m.Name == "opaque").TypeId].TypeId].IsForwardUnion);
        Assert.Equal(BtfLinkage.Global, spec.Find("prog", BtfKind.Func)!.LinkageKind);
        Assert.Equal(BtfLinkage.Static, spec.Find("helper", BtfKind.Func)!.LinkageKind);
        Assert.Equal(BtfLinkage.Extern, spec.Find("bpf_extern_thing", BtfKind.Func)!.LinkageKind);
        Assert.Equal(BtfLinkage.Static, spec.Find("hidden_static", BtfKind.Var)!.LinkageKind);

        BtfType[] tags = [.. spec.Types.Where(t => t.Kind == BtfKind.DeclTag)];
        Assert.Equal(-1, tags.Single(t => t.Name == "func_tag").ComponentIndex);
        Assert.Equal(14, tags.Single(t => t.Name == "field_tag").ComponentIndex);
        Assert.Equal(0, tags.Single(t => t.Name == "param_tag").ComponentIndex);
        Assert.Equal("user", spec.Types.Single(t => t.Kind == BtfKind.TypeTag).Name);

        BtfType flags = spec.Find("flags", BtfKind.Struct)!;
        Assert.True(flags.KindFlag);
        Assert.Equal([3, 5, 24, 0], flags.Members.Select(m => (int)m.BitfieldSize));
        BtfType color = spec.Find("color", BtfKind.Enum)!;
        Assert.True(color.IsSignedEnum);
        Assert.Equal(-1, color.EnumValues.Single(v => v.Name == "BLUE").Value);
        Assert.Equal(unchecked((long)0xffffffff00000000UL), spec.Find("big", BtfKind.Enum64)!.EnumValues[0].Value);
        Assert.True(spec.Find("char", BtfKind.Int)!.IsSigned);
    }

    [Fact]
    public void TypesAreDecodedOnceAndShared()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("every_kind.bpf.c"));
        BtfType first = spec[9];
        Assert.Same(first, spec[9]);
        Assert.Same(first, spec.Types[9]);
        Assert.Equal(spec.TypeCount, spec.Types.Count);
        Assert.Equal(spec.TypeCount, spec.Types.Count());
        for (uint id = 0; id < spec.TypeCount; id++) Assert.Equal(spec[id].Kind, spec.KindOf(id));
    }

    [Fact]
    public void ParallelReadersSeeOneInstancePerType()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.Vmlinux());
        var seen = new BtfType[spec.TypeCount];
        Parallel.For(0, 4, _ =>
        {
            for (uint id = 0; id < spec.TypeCount; id += 7)
            {
                BtfType t = spec[id];
                BtfType? previous = Interlocked.CompareExchange(ref seen[id], t, null);
                Assert.True(previous is null || ReferenceEquals(previous, t));
            }
        });
    }

    [Fact]
    public void NameLookupsAgreeBeforeAndAfterTheIndexIsBuilt()
    {
        byte[] blob = BtfTools.Vmlinux();
        string[] names = ["task_struct", "bpf_attr", "int", "list_head", "atomic_t", "bpf_func_id", "no_such_type_xyz", "sk_buff", "xdp_md", "pt_regs"];
        BtfSpec scanning = BtfSpec.Parse(blob);
        BtfSpec indexed = BtfSpec.Parse(blob);
        for (int i = 0; i < 8; i++) indexed.FindByName("warm_up_the_index");
        // The reference answer: every type, compared by name.
        ILookup<string, uint> all = indexed.Types.ToLookup(t => t.Name, t => t.Id);
        foreach (string name in names)
        {
            Assert.Equal(all[name], indexed.FindByName(name).Select(t => t.Id));
            BtfSpec fresh = BtfSpec.Parse(blob); // first look-up: a scan
            Assert.Equal(all[name], fresh.FindByName(name).Select(t => t.Id));
        }
        Assert.Equal(BtfKind.Struct, scanning.Find("task_struct", BtfKind.Struct)!.Kind);
        Assert.Null(scanning.Find("task_struct", BtfKind.Union));
        Assert.Empty(indexed.FindByName(""));
    }

    [Theory]
    [InlineData("task_struct___v2", "task_struct")]
    [InlineData("a___b___c", "a___b")]
    [InlineData("___x", "___x")]
    [InlineData("a____b", "a____b")]
    [InlineData("foo___", "foo___")]
    [InlineData("x___y", "x")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void EssentialNameDropsTheLastFlavour(string name, string essential) =>
        Assert.Equal(essential, BtfSpec.EssentialName(name));

    [Fact]
    public void EssentialNameLookupFindsEveryFlavour()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("every_kind.bpf.c"));
        for (int round = 0; round < 6; round++) // scans first, the index later
        {
            Assert.Equal(["node", "node___v2"], spec.FindByEssentialName("node", BtfKind.Struct).Select(t => t.Name));
            Assert.Equal(["node", "node___v2"], spec.FindByEssentialName("node___local").Select(t => t.Name));
            Assert.Equal(["node___v2"], spec.FindByName("node___v2").Select(t => t.Name));
        }
    }

    [Fact]
    public void ParsingInPlaceReadsTheGivenMemory()
    {
        byte[] blob = BtfTools.CompileBtf("every_kind.bpf.c");
        ReadOnlyMemory<byte> memory = blob;
        BtfSpec spec = BtfSpec.Parse(memory);
        Assert.True(spec.RawData.Span == memory.Span);
        Assert.Equal(BtfSpec.Parse(blob.AsSpan()).Types, spec.Types);
    }

    [Fact]
    public void GetStringReadsTheStringTable()
    {
        BtfSpec spec = BtfSpec.Parse(BtfTools.CompileBtf("every_kind.bpf.c"));
        Assert.Equal("", spec.GetString(0));
        var e = Assert.Throws<BtfFormatException>(() => spec.GetString(1_000_000));
        Assert.Contains("outside the string table", e.Message);
    }

    [Fact]
    public void LoadKernelHasTheBpfAttrUnion()
    {
        BtfTools.Require(BtfTools.VmlinuxPath, "kernel BTF");
        BtfSpec vmlinux = BtfSpec.LoadKernel();
        Assert.Equal(1u, vmlinux.FirstTypeId);
        Assert.Null(vmlinux.Base);
        BtfType attr = vmlinux.Find("bpf_attr", BtfKind.Union)!;
        Assert.Equal(vmlinux.SizeOf(attr.Id), attr.Size);
        Assert.Equal(8, vmlinux.Alignment(attr.Id));
        Assert.Equal(BtfKind.Struct, vmlinux[vmlinux.ResolveType(vmlinux.Find("atomic_t", BtfKind.Typedef)!.Id)].Kind);
    }

    /// <summary>Header words of one BTF_KIND_INT "int" type, for hand-made blobs.</summary>
    internal static byte[] Raw(uint[] typeWords, string strings, Action<byte[]>? patch = null)
    {
        byte[] str = System.Text.Encoding.ASCII.GetBytes(strings);
        byte[] blob = new byte[24 + typeWords.Length * 4 + str.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xEB9F);
        blob[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)typeWords.Length * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)typeWords.Length * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)str.Length);
        for (int i = 0; i < typeWords.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(24 + 4 * i), typeWords[i]);
        str.CopyTo(blob, 24 + typeWords.Length * 4);
        patch?.Invoke(blob);
        return blob;
    }
}
