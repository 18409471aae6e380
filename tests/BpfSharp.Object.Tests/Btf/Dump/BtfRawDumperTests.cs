using BpfSharp.Btf;
using BpfSharp.Btf.Dump;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Dump;

public class BtfRawDumperTests
{
    public static TheoryData<string> Fixtures => [.. CFixtures.All.Select(f => f.Name)];

    [Fact]
    public void KernelBtfDumpsLineForLineLikeBpftool()
    {
        BtfSpec vmlinux = BuiltFixtures.Kernel();
        Toolchain.Require(Toolchain.Bpftool);
        string expected = Toolchain.BpftoolDump(Toolchain.KernelBtf, "raw");

        var actual = new StringWriter();
        BtfRawDumper.Write(vmlinux, actual);

        TextComparison.AssertSameText(expected, actual.ToString(), "raw dump of vmlinux");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ClangObjectBtfDumpsLikeBpftool(string fixture)
    {
        BuiltFixture built = BuiltFixtures.Get(fixture);
        string fromObject = Toolchain.BpftoolDump(built.ObjectPath, "raw");
        string fromBlob = Toolchain.BpftoolDump(built.BlobPath, "raw");
        Assert.Equal(fromObject, fromBlob); // bpftool reads the section as it is: the blob is the whole story

        var actual = new StringWriter();
        BtfRawDumper.Write(built.Spec, actual);

        TextComparison.AssertSameText(fromObject, actual.ToString(), $"raw dump of {fixture}");
    }

    [Fact]
    public void FixturesAndKernelTogetherHaveEveryKind()
    {
        var kinds = new HashSet<BtfKind>();
        foreach (CFixture f in CFixtures.All)
            kinds.UnionWith(BuiltFixtures.Get(f.Name).Spec.Types.Skip(1).Select(t => t.Kind));
        if (File.Exists(Toolchain.KernelBtf))
            kinds.UnionWith(BuiltFixtures.Kernel().Types.Skip(1).Select(t => t.Kind));

        Assert.Equal(Enum.GetValues<BtfKind>().Where(k => k != BtfKind.Unknown).Order(), kinds.Order());
    }

    [Fact]
    public void ChosenIdsAreWrittenInTheOrderGiven()
    {
        BuiltFixture built = BuiltFixtures.Get(CFixtures.Declarators.Name);
        string[] blocks = Blocks(Toolchain.BpftoolDump(built.ObjectPath, "raw"));
        uint ops = built.Spec.Find("ops", BtfKind.Struct)!.Id;
        uint level = built.Spec.Find("level", BtfKind.Enum)!.Id;
        uint big = built.Spec.Find("big", BtfKind.Enum64)!.Id;

        var actual = new StringWriter();
        BtfRawDumper.Write(built.Spec, actual, [big, ops, level]);

        Assert.Equal(blocks[big - 1] + blocks[ops - 1] + blocks[level - 1], actual.ToString());
    }

    [Fact]
    public void EveryKindIsWrittenInBpftoolsWords()
    {
        var blob = new BtfBlob();
        uint i32 = blob.Int("int", 4);
        blob.Add(BtfKind.Pointer, "", i32);
        blob.Add(BtfKind.Forward, "later", 0, kindFlag: true);
        blob.Add(BtfKind.Enum64, "e", 8, 2, kindFlag: true, data: [0, 0, 0xffffffff, 0, 5, 0]);
        blob.Add(BtfKind.Enum, "u", 4, 1, data: [0, 0xfffffffe]);
        uint var = blob.Add(BtfKind.Var, "v", i32, data: [7]);
        blob.Add(BtfKind.DataSection, ".data", 16, 2, data: [var, 0, 4, i32, 4, 4]);
        blob.Add(BtfKind.Func, "f", 0, vlen: 9);
        blob.Add(BtfKind.DeclTag, "tag", var, data: [unchecked((uint)-1)]);
        string path = BuiltFixtures.Directory.Write($"kinds_{Guid.NewGuid():N}.btf", "");
        File.WriteAllBytes(path, blob.Build());
        Toolchain.Require(Toolchain.Bpftool);
        string expected = Toolchain.BpftoolDump(path, "raw");

        var text = new StringWriter();
        BtfRawDumper.Write(blob.Parse(), text);

        Assert.Equal(expected, text.ToString());
        Assert.Contains("val=-4294967296LL", expected); // the blob really tests what it is meant to
        Assert.Contains("linkage=(unknown)", expected);
        Assert.Contains("type_id=1 offset=4 size=4", expected); // a section entry that is not a VAR (ids out of range are refused at parse)
    }

    /// <summary>The text of each type: its header line and its indented lines.</summary>
    static string[] Blocks(string dump)
    {
        var blocks = new List<string>();
        foreach (string line in dump.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line[0] == '\t') blocks[^1] += line + "\n";
            else blocks.Add(line + "\n");
        }
        return [.. blocks];
    }
}
