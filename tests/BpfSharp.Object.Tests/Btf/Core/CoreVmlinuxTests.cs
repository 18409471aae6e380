using BpfSharp.Btf;
using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>
/// A flavoured, partial task_struct built by hand, relocated against the running kernel's BTF; the expected offsets
/// come from walking vmlinux's members directly (a separate, naive search through anonymous members).
/// </summary>
public class CoreVmlinuxTests
{
    static readonly Lazy<(BtfSpec Local, Dictionary<string, uint> Ids)> local = new(BuildLocal);

    static (BtfSpec, Dictionary<string, uint>) BuildLocal()
    {
        var b = new TestBtf();
        uint i32 = b.Int("int", 4, signed: true);
        uint u32 = b.Int("unsigned int", 4);
        uint u64 = b.Int("unsigned long long", 8);
        uint ch = b.Char();
        uint comm = b.Array(ch, 16, u32);
        uint sched = b.Struct("sched_entity___mine", 8, ("vruntime", u64, 0));
        uint hlistPtr = b.Pointer(b.NextId + 1);
        uint hlist = b.Struct("hlist_node___mine", 16, ("next", hlistPtr, 0), ("pprev", b.Pointer(hlistPtr), 64));
        uint links = b.Array(hlist, 4, u32);
        uint taskPtr = b.Pointer(b.NextId + 1);
        uint task = b.BitfieldStruct("task_struct___mine", 128,
            ("pid", i32, 0, 0), ("tgid", i32, 32, 0), ("comm", comm, 64, 0), ("flags", u32, 192, 0), ("real_parent", taskPtr, 256, 0),
            ("se", sched, 320, 0), ("pid_links", links, 384, 0), ("does_not_exist", i32, 896, 0), ("in_execve", u32, 928, 1));
        uint voidPtr = b.Pointer(0);
        uint mm = b.Struct("mm_struct___mine", 8, ("pgd", voidPtr, 0));
        uint pidType = b.Enum("pid_type___mine", 4, false, ("PIDTYPE_TGID", 100), ("PIDTYPE_NOPE", 42));
        uint nothing = b.Struct("no_such_struct_in_any_kernel___mine", 4, ("x", i32, 0));
        return (b.Spec(), new() { ["task"] = task, ["mm"] = mm, ["pid_type"] = pidType, ["nothing"] = nothing });
    }

    static CoreRelocationResult Resolve(string type, string access, CoreRelocationKind kind) =>
        CoreRelocator.Resolve(local.Value.Local, new CoreRelocationRecord(0, local.Value.Ids[type], access, kind), [CoreTestEnvironment.Vmlinux()]);

    /// <summary>The bit offset of a named member, searching anonymous members depth-first as C name lookup does.</summary>
    static uint? BitOffsetOf(BtfSpec btf, BtfType composite, string name)
    {
        foreach (BtfMember m in composite.Members)
        {
            if (m.Name == name) return m.BitOffset;
            if (m.Name.Length == 0 && btf.SkipModifiers(m.TypeId) is { Kind: BtfKind.Struct or BtfKind.Union } inner
                && BitOffsetOf(btf, inner, name) is { } nested)
                return m.BitOffset + nested;
        }
        return null;
    }

    static BtfType KernelStruct(string name) => CoreTestEnvironment.Vmlinux().Find(name, BtfKind.Struct)!;

    [Theory]
    [InlineData("0:0", "pid")]
    [InlineData("0:1", "tgid")]
    [InlineData("0:2", "comm")]
    [InlineData("0:3", "flags")]
    [InlineData("0:4", "real_parent")]
    public void TaskStructFieldOffsetsAreTheKernels(string access, string field)
    {
        CoreRelocationResult r = Resolve("task", access, CoreRelocationKind.FieldByteOffset);
        Assert.Equal(BitOffsetOf(CoreTestEnvironment.Vmlinux(), KernelStruct("task_struct"), field)! / 8, (uint)r.Values.NewValue);
        Assert.Equal(KernelStruct("task_struct").Id, r.Candidate!.Value.TypeId);
    }

    [Fact]
    public void NestedMembersArrayElementsAndAnonymousMembers()
    {
        BtfSpec vmlinux = CoreTestEnvironment.Vmlinux();
        BtfType task = KernelStruct("task_struct");
        uint se = BitOffsetOf(vmlinux, task, "se")!.Value / 8 + BitOffsetOf(vmlinux, KernelStruct("sched_entity"), "vruntime")!.Value / 8;
        Assert.Equal(se, Resolve("task", "0:5:0", CoreRelocationKind.FieldByteOffset).Values.NewValue);

        uint links = BitOffsetOf(vmlinux, task, "pid_links")!.Value / 8 + 2 * (uint)vmlinux.SizeOf(KernelStruct("hlist_node").Id) + 8;
        Assert.Equal(links, Resolve("task", "0:6:2:1", CoreRelocationKind.FieldByteOffset).Values.NewValue);

        // mm_struct wraps most of its fields in an anonymous struct
        CoreRelocationResult pgd = Resolve("mm", "0:0", CoreRelocationKind.FieldByteOffset);
        Assert.Equal(BitOffsetOf(vmlinux, KernelStruct("mm_struct"), "pgd")! / 8, (uint)pgd.Values.NewValue);
        Assert.True(pgd.TargetSpec!.RawSpec.Count > 2, "the target access goes through the anonymous member");
    }

    [Fact]
    public void SizesExistenceAndTypes()
    {
        BtfSpec vmlinux = CoreTestEnvironment.Vmlinux();
        Assert.Equal(16ul, Resolve("task", "0:2", CoreRelocationKind.FieldByteSize).Values.NewValue);
        Assert.Equal(0ul, Resolve("task", "0:7", CoreRelocationKind.FieldExists).Values.NewValue);
        Assert.True(Resolve("task", "0:7", CoreRelocationKind.FieldByteOffset).Poison);
        Assert.Equal(1ul, Resolve("task", "0:8", CoreRelocationKind.FieldExists).Values.NewValue);
        Assert.Equal((ulong)KernelStruct("task_struct").Size, Resolve("task", "0", CoreRelocationKind.TypeSize).Values.NewValue);
        Assert.Equal((ulong)KernelStruct("task_struct").Id, Resolve("task", "0", CoreRelocationKind.TypeIdTarget).Values.NewValue);
        Assert.Equal(0ul, Resolve("nothing", "0", CoreRelocationKind.TypeExists).Values.NewValue);

        BtfType pidType = vmlinux.Find("pid_type", BtfKind.Enum)!;
        ulong tgid = (ulong)pidType.EnumValues.Single(v => v.Name == "PIDTYPE_TGID").Value;
        Assert.Equal((100ul, tgid), (Resolve("pid_type", "0", CoreRelocationKind.EnumValue).Values.OriginalValue, Resolve("pid_type", "0", CoreRelocationKind.EnumValue).Values.NewValue));
        Assert.Equal(0ul, Resolve("pid_type", "1", CoreRelocationKind.EnumValueExists).Values.NewValue);
    }

    [Fact]
    public void ModuleBtfIsSearchedOnlyWhenVmlinuxHasNoCandidate()
    {
        BtfSpec vmlinux = CoreTestEnvironment.Vmlinux();
        var module = new TestBtf();
        uint modInt = module.Int("int", 4, signed: true);
        uint modNothing = module.Struct("no_such_struct_in_any_kernel", 8, ("pad", modInt, 0), ("x", modInt, 32));
        module.Struct("task_struct", 4, ("pid", modInt, 0));
        BtfSpec moduleSpec = module.Spec();
        var (localBtf, ids) = local.Value;

        var relocator = new CoreRelocator(localBtf, [vmlinux, moduleSpec]);
        CoreRelocationResult fromModule = relocator.Resolve(new CoreRelocationRecord(0, ids["nothing"], "0:0", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(4ul, fromModule.Values.NewValue);
        Assert.Equal(new CoreCandidate(1, moduleSpec, modNothing), fromModule.Candidate);

        // task_struct is in vmlinux, so the module's (incompatible) task_struct is never considered
        CoreRelocationResult fromVmlinux = relocator.Resolve(new CoreRelocationRecord(0, ids["task"], "0:1", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(0, fromVmlinux.Candidate!.Value.TargetIndex);
        Assert.All(relocator.Candidates.Peek(ids["task"])!, c => Assert.Equal(0, c.TargetIndex));
    }
}
