using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;
using static BpfSharp.Object.Tests.Btf.Core.SampleBtf;

namespace BpfSharp.Object.Tests.Btf.Core;

public class CoreTypeAndEnumRelocationTests
{
    static CoreRelocationResult Resolve(uint localType, string access, CoreRelocationKind kind) =>
        CoreRelocator.Resolve(Local, new CoreRelocationRecord(0, localType, access, kind), [Target]);

    [Fact]
    public void TypeExistsSizeAndTargetId()
    {
        Assert.Equal((1ul, 1ul), Values(Resolve(LTask, "0", CoreRelocationKind.TypeExists)));
        Assert.Equal((80ul, 80ul), Values(Resolve(LTask, "0", CoreRelocationKind.TypeSize)));
        Assert.Equal((8ul, 16ul), Values(Resolve(LSched, "0", CoreRelocationKind.TypeSize)));
        CoreRelocationResult id = Resolve(LTask, "0", CoreRelocationKind.TypeIdTarget);
        Assert.Equal((ulong)TTaskStruct, id.Values.NewValue);
        Assert.False(id.Values.Validate);
    }

    [Fact]
    public void AMissingTypeGivesZeroNotPoison()
    {
        foreach (CoreRelocationKind kind in new[] { CoreRelocationKind.TypeExists, CoreRelocationKind.TypeSize, CoreRelocationKind.TypeIdTarget, CoreRelocationKind.TypeMatches })
        {
            CoreRelocationResult r = Resolve(LMissing, "0", kind);
            Assert.False(r.Poison);
            Assert.Equal(0ul, r.Values.NewValue);
        }
        Assert.Equal(4ul, Resolve(LMissing, "0", CoreRelocationKind.TypeSize).Values.OriginalValue);
    }

    [Fact]
    public void TypedefsAreCandidatesForTypedefsAndResolveThrough()
    {
        Assert.Equal((4ul, 4ul), Values(Resolve(LPidT, "0", CoreRelocationKind.TypeSize)));
        Assert.Equal((ulong)TPidT, Resolve(LPidT, "0", CoreRelocationKind.TypeIdTarget).Values.NewValue);
    }

    [Fact]
    public void LocalTypeIdNeedsNoTarget()
    {
        CoreRelocationResult r = CoreRelocator.Resolve(Local, new CoreRelocationRecord(0, LAnon, "0", CoreRelocationKind.TypeIdLocal), []);
        Assert.Equal(((ulong)LAnon, (ulong)LAnon), Values(r));
        Assert.False(r.Values.Validate);
    }

    [Fact]
    public void TypeMatchesIsStricterThanExists()
    {
        Assert.Equal(1ul, Resolve(LSched, "0", CoreRelocationKind.TypeMatches).Values.NewValue);
        // same name, but vruntime is a u32 here and a u64 in the target
        Assert.Equal(0ul, Resolve(LSchedBadSize, "0", CoreRelocationKind.TypeMatches).Values.NewValue);
        Assert.Equal(1ul, Resolve(LSchedBadSize, "0", CoreRelocationKind.TypeExists).Values.NewValue);
        // names count at every level: an "unsigned long long" member does not match an "unsigned long" one
        Assert.Equal(0ul, Resolve(LSchedLongLong, "0", CoreRelocationKind.TypeMatches).Values.NewValue);
        // every local enumerator name must exist in the target
        Assert.Equal(0ul, Resolve(LPidType, "0", CoreRelocationKind.TypeMatches).Values.NewValue);
        Assert.Equal(1ul, Resolve(LNeg, "0", CoreRelocationKind.TypeMatches).Values.NewValue);
    }

    [Fact]
    public void EnumValuesAreFoundByEnumeratorName()
    {
        CoreRelocationResult value = Resolve(LPidType, "0", CoreRelocationKind.EnumValue);
        Assert.Equal((7ul, 1ul), Values(value));
        Assert.Equal($"<enumval_value> [{LPidType}] enum pid_type___mine::PIDTYPE_TGID = 7", value.LocalSpec.ToString());
        Assert.Equal($"<enumval_value> [{TPidType}] enum pid_type::PIDTYPE_TGID = 1", value.TargetSpec!.ToString());
        Assert.Equal((1ul, 1ul), Values(Resolve(LPidType, "0", CoreRelocationKind.EnumValueExists)));
    }

    [Fact]
    public void AMissingEnumeratorDoesNotExistAndItsValuePoisons()
    {
        Assert.Equal((1ul, 0ul), Values(Resolve(LPidType, "1", CoreRelocationKind.EnumValueExists)));
        Assert.True(Resolve(LPidType, "1", CoreRelocationKind.EnumValue).Poison);
    }

    [Fact]
    public void Enum64ValuesAndSignExtendedEnum32Values()
    {
        Assert.Equal((5ul, 0x1_0000_0001ul), Values(Resolve(LBig64, "0", CoreRelocationKind.EnumValue)));
        Assert.Equal((unchecked((ulong)-2L), unchecked((ulong)-2L)), Values(Resolve(LBig64, "1", CoreRelocationKind.EnumValue)));
        Assert.Equal($"<enumval_value> [{LBig64}] enum64 big64___l::NEG = -2", Resolve(LBig64, "1", CoreRelocationKind.EnumValue).LocalSpec.ToString());
        // libbpf reads a 32-bit enumerator as __s32, so an unsigned 0xffffffff becomes all ones in 64 bits
        CoreRelocationResult neg = Resolve(LNeg, "0", CoreRelocationKind.EnumValue);
        Assert.Equal(ulong.MaxValue, neg.Values.NewValue);
        Assert.Equal($"<enumval_value> [{LNeg}] enum neg___l::MINUS = 4294967295", neg.LocalSpec.ToString());
    }

    [Fact]
    public void CandidatesThatStopMatchingArePrunedForLaterRelocations()
    {
        var relocator = new CoreRelocator(Local, [Target]);
        // pid_type___x names PIDTYPE_PID, which the target has: the single candidate stays
        relocator.Resolve(new CoreRelocationRecord(0, LPidTypeNoMatch, "0", CoreRelocationKind.EnumValueExists));
        Assert.Single(relocator.Candidates.Peek(LPidTypeNoMatch)!);
        // a miss leaves the list as it was
        relocator.Resolve(new CoreRelocationRecord(0, LPidTypeNoMatch, "1", CoreRelocationKind.EnumValueExists));
        Assert.Single(relocator.Candidates.Peek(LPidTypeNoMatch)!);
    }

    [Fact]
    public void CandidatesThatAgreeOnTheOffsetButNotTheValueAreAnAmbiguityError()
    {
        var target = new TestBtf();
        target.Enum("dupe", 4, false, ("A", 1));
        target.Enum("dupe___2", 4, false, ("A", 2));
        var local = new TestBtf();
        uint l = local.Enum("dupe___l", 4, false, ("A", 5));
        var e = Assert.Throws<CoreRelocationException>(() =>
            CoreRelocator.Resolve(local.Spec(), new CoreRelocationRecord(0, l, "0", CoreRelocationKind.EnumValue), [target.Spec()]));
        Assert.Contains("relocation decision ambiguity: success 2 != success 1", e.Message);
        // existence agrees, so it is no error
        Assert.Equal(1ul, CoreRelocator.Resolve(local.Spec(), new CoreRelocationRecord(0, l, "0", CoreRelocationKind.EnumValueExists), [target.Spec()]).Values.NewValue);
    }

    static (ulong, ulong) Values(CoreRelocationResult r) => (r.Values.OriginalValue, r.Values.NewValue);
}
