using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;
using static BpfSharp.Object.Tests.Btf.Core.SampleBtf;

namespace BpfSharp.Object.Tests.Btf.Core;

public class CoreFieldRelocationTests
{
    static CoreRelocationResult Resolve(uint localType, string access, CoreRelocationKind kind) =>
        CoreRelocator.Resolve(Local, new CoreRelocationRecord(0, localType, access, kind), [Target]);

    [Theory]
    [InlineData("0:0", 0ul, 16ul, "0:3")]        // pid
    [InlineData("0:1", 4ul, 20ul, "0:4")]        // tgid
    [InlineData("0:2", 8ul, 24ul, "0:5")]        // comm
    [InlineData("0:2:3", 11ul, 27ul, "0:5:3")]   // comm[3]
    [InlineData("0:5", 40ul, 40ul, "0:6")]       // real_parent
    [InlineData("0:6", 48ul, 12ul, "0:2:0")]     // prio, inside the target's anonymous union
    [InlineData("0:12:0", 72ul, 64ul, "0:11:0")] // se.vruntime through a differently named nested struct
    [InlineData("1:1", 84ul, 100ul, "1:4")]      // t[1].tgid: the root index steps whole structs
    public void ByteOffsetsFollowTheTargetLayout(string access, ulong local, ulong target, string targetAccess)
    {
        CoreRelocationResult r = Resolve(LTask, access, CoreRelocationKind.FieldByteOffset);
        Assert.False(r.Poison);
        Assert.Equal(local, r.Values.OriginalValue);
        Assert.Equal(target, r.Values.NewValue);
        Assert.Equal(targetAccess, r.TargetSpec!.AccessString);
        Assert.Equal(TTaskStruct, r.Candidate!.Value.TypeId);
        Assert.True(r.Values.Validate);
    }

    [Fact]
    public void SpecsPrintAsLibbpfPrintsThem()
    {
        CoreRelocationResult r = Resolve(LTask, "0:6", CoreRelocationKind.FieldByteOffset);
        Assert.Equal($"<byte_off> [{LTask}] struct task_struct___mine.prio (0:6 @ offset 48)", r.LocalSpec.ToString());
        Assert.Equal($"<byte_off> [{TTaskStruct}] struct task_struct.prio (0:2:0 @ offset 12)", r.TargetSpec!.ToString());
        Assert.Equal($"relo #0: <byte_off> [{LTask}] struct task_struct___mine.prio (0:6 @ offset 48) => [{TTaskStruct}] struct task_struct.prio (0:2:0 @ offset 12): 48 -> 12", r.ToString());

        CoreRelocationResult element = Resolve(LTask, "0:2:3", CoreRelocationKind.FieldByteOffset);
        Assert.Equal($"<byte_off> [{LTask}] struct task_struct___mine.comm[3] (0:2:3 @ offset 11)", element.LocalSpec.ToString());
        CoreRelocationResult bit = Resolve(LTask, "0:9", CoreRelocationKind.FieldByteOffset);
        Assert.Equal($"<byte_off> [{LTask}] struct task_struct___mine.nice (0:9 @ offset 56.1)", bit.LocalSpec.ToString());
    }

    [Theory]
    [InlineData("0:0", 4ul, 4ul)]
    [InlineData("0:2", 16ul, 16ul)]
    [InlineData("0:2:3", 1ul, 1ul)]
    [InlineData("0:3", 8ul, 4ul)]   // flags: u64 locally, u32 in the target
    [InlineData("0:4", 4ul, 8ul)]   // state: int locally, long in the target
    [InlineData("0:12", 8ul, 16ul)] // se
    public void ByteSizes(string access, ulong local, ulong target)
    {
        CoreRelocationResult r = Resolve(LTask, access, CoreRelocationKind.FieldByteSize);
        Assert.Equal((local, target), (r.Values.OriginalValue, r.Values.NewValue));
    }

    [Theory]
    // field, kind, local value, target value: worked out from the bit positions in SampleBtf
    [InlineData("0:8", CoreRelocationKind.FieldByteOffset, 56ul, 48ul)]
    [InlineData("0:8", CoreRelocationKind.FieldByteSize, 4ul, 4ul)]
    [InlineData("0:8", CoreRelocationKind.FieldLShiftU64, 63ul, 63ul)]
    [InlineData("0:8", CoreRelocationKind.FieldRShiftU64, 63ul, 63ul)]
    [InlineData("0:8", CoreRelocationKind.FieldSigned, 0ul, 0ul)]
    [InlineData("0:9", CoreRelocationKind.FieldByteOffset, 56ul, 48ul)]
    [InlineData("0:9", CoreRelocationKind.FieldLShiftU64, 58ul, 55ul)]
    [InlineData("0:9", CoreRelocationKind.FieldRShiftU64, 59ul, 59ul)]
    [InlineData("0:9", CoreRelocationKind.FieldSigned, 1ul, 1ul)]
    [InlineData("0:10", CoreRelocationKind.FieldByteOffset, 56ul, 48ul)] // widened to a u64 load in the target
    [InlineData("0:10", CoreRelocationKind.FieldByteSize, 4ul, 8ul)]
    [InlineData("0:10", CoreRelocationKind.FieldLShiftU64, 52ul, 30ul)]
    [InlineData("0:10", CoreRelocationKind.FieldRShiftU64, 58ul, 58ul)]
    [InlineData("0:11", CoreRelocationKind.FieldByteOffset, 56ul, 56ul)]
    [InlineData("0:11", CoreRelocationKind.FieldLShiftU64, 12ul, 24ul)]
    [InlineData("0:11", CoreRelocationKind.FieldRShiftU64, 24ul, 24ul)]
    [InlineData("0:0", CoreRelocationKind.FieldSigned, 1ul, 1ul)]
    [InlineData("0:3", CoreRelocationKind.FieldSigned, 0ul, 0ul)]
    [InlineData("0:0", CoreRelocationKind.FieldLShiftU64, 32ul, 32ul)] // a plain int: 64 - 32
    [InlineData("0:0", CoreRelocationKind.FieldRShiftU64, 32ul, 32ul)]
    public void BitfieldsAndShifts(string access, CoreRelocationKind kind, ulong local, ulong target)
    {
        CoreRelocationResult r = Resolve(LTask, access, kind);
        Assert.Equal((local, target), (r.Values.OriginalValue, r.Values.NewValue));
    }

    [Fact]
    public void BitfieldOffsetsAreNotValidatedButSignednessAndRightShiftsAre()
    {
        Assert.False(Resolve(LTask, "0:9", CoreRelocationKind.FieldByteOffset).Values.Validate);
        Assert.False(Resolve(LTask, "0:9", CoreRelocationKind.FieldLShiftU64).Values.Validate);
        Assert.True(Resolve(LTask, "0:9", CoreRelocationKind.FieldRShiftU64).Values.Validate);
        Assert.True(Resolve(LTask, "0:9", CoreRelocationKind.FieldSigned).Values.Validate);
    }

    [Fact]
    public void ABitfieldNoSingleLoadReachesIsAnError()
    {
        var e = Assert.Throws<CoreRelocationException>(() => Resolve(LOdd, "0:0", CoreRelocationKind.FieldByteOffset));
        Assert.Contains("64-bit load", e.Message);
        Assert.Contains("struct odd", e.Message);
    }

    [Fact]
    public void AMissingFieldDoesNotExistAndItsOffsetPoisons()
    {
        CoreRelocationResult exists = Resolve(LTask, "0:7", CoreRelocationKind.FieldExists);
        Assert.Equal((1ul, 0ul), (exists.Values.OriginalValue, exists.Values.NewValue));
        Assert.False(exists.Poison);
        Assert.Null(exists.TargetSpec);

        CoreRelocationResult offset = Resolve(LTask, "0:7", CoreRelocationKind.FieldByteOffset);
        Assert.True(offset.Poison);
        Assert.Equal(52ul, offset.Values.OriginalValue);
        Assert.EndsWith("=> no matching target: poisoned", offset.ToString());

        Assert.Equal(1ul, Resolve(LTask, "0:0", CoreRelocationKind.FieldExists).Values.NewValue);
    }

    [Fact]
    public void MemorySizeChangesAreAllowedOnlyForUnsignedIntegersAndPointers()
    {
        CoreRelocationValues flags = Resolve(LTask, "0:3", CoreRelocationKind.FieldByteOffset).Values;
        Assert.Equal((8u, 4u), (flags.OriginalSize, flags.NewSize));
        Assert.False(flags.FailMemorySizeAdjust);

        CoreRelocationValues state = Resolve(LTask, "0:4", CoreRelocationKind.FieldByteOffset).Values;
        Assert.Equal((4u, 8u), (state.OriginalSize, state.NewSize));
        Assert.True(state.FailMemorySizeAdjust);

        // arrays: the element size counts, not the array's
        CoreRelocationValues comm = Resolve(LTask, "0:2", CoreRelocationKind.FieldByteOffset).Values;
        Assert.Equal((1u, 1u), (comm.OriginalSize, comm.NewSize));
    }

    [Fact]
    public void ShiftsOfAnArrayElementAreRefused()
    {
        var e = Assert.Throws<CoreRelocationException>(() => Resolve(LTask, "0:2:3", CoreRelocationKind.FieldLShiftU64));
        Assert.Contains("array element", e.Message);
    }

    [Fact]
    public void FlexibleArrayMembersAcceptAnyIndex()
    {
        CoreRelocationResult r = Resolve(LFlex, "0:1:5", CoreRelocationKind.FieldByteOffset);
        Assert.Equal((24ul, 24ul), (r.Values.OriginalValue, r.Values.NewValue));
        Assert.Equal(TFlex, r.Candidate!.Value.TypeId);
    }

    [Fact]
    public void CandidatesThatDisagreeOnTheOffsetAreAnAmbiguityError()
    {
        var e = Assert.Throws<CoreRelocationException>(() => Resolve(LDup, "0:0", CoreRelocationKind.FieldByteOffset));
        Assert.Contains("field offset ambiguity", e.Message);
        Assert.Contains("dup___mine", e.Message);
        Assert.Equal(0, e.RelocationIndex);
    }

    [Fact]
    public void CandidatesThatAgreeAreAllKept()
    {
        var relocator = new CoreRelocator(Local, [Target]);
        CoreRelocationResult r = relocator.Resolve(new CoreRelocationRecord(0, LSame, "0:0", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(TSame, r.Candidate!.Value.TypeId);
        Assert.Equal([TSame, TSame2], relocator.Candidates.Peek(LSame)!.Select(c => c.TypeId));
    }

    [Fact]
    public void KindsMustAgree()
    {
        // a local union named task_struct does not match the target's struct task_struct
        CoreRelocationResult r = Resolve(LUnion, "0:0", CoreRelocationKind.FieldExists);
        Assert.Equal(0ul, r.Values.NewValue);
    }

    [Fact]
    public void AnonymousLocalTypesCannotBeRelocated()
    {
        var e = Assert.Throws<CoreRelocationException>(() => Resolve(LAnon, "0:0", CoreRelocationKind.FieldByteOffset));
        Assert.Contains("anonymous", e.Message);
        Assert.Contains($"[{LAnon}] struct <anon>", e.Message);
    }
}
