using BpfSharp.Btf;
using Xunit;
using static BpfSharp.Object.Tests.Btf.BtfSpecTests;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>
/// Split BTF (what kernel modules expose): ids continue after the base's last id, string offsets after the end of
/// the base's string table. This machine has no module BTF, so the split blobs are built here and checked against
/// <c>bpftool -B BASE btf dump file SPLIT</c>.
/// </summary>
public class BtfSplitTests
{
    static byte[] SplitOnVmlinux(BtfSpec vmlinux)
    {
        uint task = vmlinux.Find("task_struct", BtfKind.Struct)!.Id;
        uint u32 = vmlinux.Find("u32", BtfKind.Typedef)!.Id;
        var b = new BtfBuilder(vmlinux);
        uint taskPtr = b.AddPointer(task);
        uint self = b.NextId + 1;
        uint selfPtr = b.AddPointer(self);
        uint module = b.AddStruct("my_module_state", 24, ("owner", taskPtr, 0u), ("next", selfPtr, 64u), ("count", u32, 128u));
        Assert.Equal(self, module);
        uint proto = b.AddFuncProto(u32, [("state", selfPtr)]);
        uint fn = b.AddFunc("my_module_fn", proto, BtfLinkage.Global);
        b.AddDeclTag("bpf_kfunc", fn);
        b.AddTypedef("task_struct_alias", task); // an own type whose name also lives in the base
        return b.Build();
    }

    [Fact]
    public void SplitOnVmlinuxReadsAsBpftoolReadsIt()
    {
        byte[] vmlinuxBlob = BtfTools.Vmlinux();
        BtfSpec vmlinux = BtfSpec.Parse(vmlinuxBlob);
        byte[] blob = SplitOnVmlinux(vmlinux);
        BtfSpec split = BtfSpec.Parse(blob, vmlinux);

        Assert.Same(vmlinux, split.Base);
        Assert.Equal((uint)vmlinux.TypeCount, split.FirstTypeId);
        Assert.Equal(vmlinux.TypeCount + 7, split.TypeCount);
        Assert.Equal(split.TypeCount, split.Types.Count);
        Assert.Same(vmlinux[1], split[1]);
        Assert.Same(vmlinux[1], split.Types[1]);
        BpftoolRawFormat.AssertSameAsBpftool(split, BtfTools.BpftoolRawDump(blob, vmlinuxBlob));

        BtfType state = split.Find("my_module_state", BtfKind.Struct)!;
        Assert.Equal("task_struct", split[split[state.Members[0].TypeId].TypeId].Name);
        Assert.Equal(state.Id, split[state.Members[1].TypeId].TypeId);
        Assert.Equal(vmlinux.Find("task_struct", BtfKind.Struct)!.Id, split.Find("task_struct", BtfKind.Struct)!.Id);
        Assert.Equal(24, split.SizeOf(state.Id));
        Assert.Equal(8, split.Alignment(state.Id));
        Assert.Null(vmlinux.Find("my_module_state", BtfKind.Struct));
    }

    [Fact]
    public void SplitSpecsReencodeOnTheirBase()
    {
        BtfSpec vmlinux = BtfSpec.Parse(BtfTools.Vmlinux());
        BtfSpec split = BtfSpec.Parse(SplitOnVmlinux(vmlinux), vmlinux);
        BtfBuilder again = BtfBuilder.From(split);
        Assert.Same(vmlinux, again.Base);
        BtfSpec reparsed = again.ToSpec();
        for (uint id = split.FirstTypeId; id < split.TypeCount; id++) Assert.Equal(split[id], reparsed[id]);
    }

    [Fact]
    public void SplitNamesMayPointIntoTheBaseStringTable()
    {
        // Base: [1] int, strings "\0int\0s\0m\0" (9 bytes). Split: [2] struct 'int' (offset 1, a base string) with
        // member 'x' (offset 9 = the split's first own string) of type [1]; [3] ptr to [2].
        byte[] baseBlob = Raw([1, 0x01000000, 4, 0x01000020], "\0int\0s\0m\0");
        BtfSpec baseSpec = BtfSpec.Parse(baseBlob);
        byte[] splitBlob = Raw([1, 0x04000001, 4, 9, 1, 0, 0, 0x02000000, 2], "x\0");
        BtfSpec split = BtfSpec.Parse(splitBlob, baseSpec);
        Assert.Equal(9u, split.FirstStringOffset);
        Assert.Equal("int", split[2].Name);
        Assert.Equal("x", split[2].Members[0].Name);
        Assert.Equal("x", split.GetString(9));
        Assert.Equal("s", split.GetString(5));
        Assert.Equal([1u, 2u], split.FindByName("int").Select(t => t.Id));
        BpftoolRawFormat.AssertSameAsBpftool(split, BtfTools.BpftoolRawDump(splitBlob, baseBlob));

        var unsplit = Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(splitBlob));
        Assert.Contains("split BTF", unsplit.Message);
    }

    [Fact]
    public void SplitBtfIsValidatedAgainstItsBase()
    {
        BtfSpec baseSpec = BtfSpec.Parse(Raw([1, 0x01000000, 4, 0x01000020], "\0int\0"));
        // A name past the split's own strings, and a reference past the last id.
        var name = Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(Raw([40, 0x02000000, 1], "x\0"), baseSpec));
        Assert.Contains("BTF type [2]", name.Message);
        var reference = Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(Raw([0, 0x02000000, 3], "x\0"), baseSpec));
        Assert.Contains("BTF type [2] at byte 24 refers to type id 3", reference.Message);
        // An empty own string table is fine for split BTF.
        Assert.Equal(3, BtfSpec.Parse(Raw([0, 0x02000000, 1], ""), baseSpec).TypeCount);
    }

    [Fact]
    public void ModuleNamesAreCheckedBeforeTouchingTheFileSystem()
    {
        BtfSpec baseSpec = BtfSpec.Parse(Raw([1, 0x01000000, 4, 0x01000020], "\0int\0"));
        Assert.Throws<ArgumentException>(() => BtfSpec.LoadKernelModule("../../etc/passwd", baseSpec));
        Assert.Throws<ArgumentException>(() => BtfSpec.LoadKernelModule("vmlinux", baseSpec));
        Assert.Throws<FileNotFoundException>(() => BtfSpec.LoadKernelModule("no_such_module_btf", baseSpec));
        Assert.DoesNotContain("vmlinux", BtfSpec.KernelModulesWithBtf());
    }
}
