using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;
using static BpfSharp.Object.Tests.Btf.Core.SampleBtf;

namespace BpfSharp.Object.Tests.Btf.Core;

public class CoreAccessStringTests
{
    static CoreRelocationException Refused(uint type, string access, CoreRelocationKind kind) =>
        Assert.Throws<CoreRelocationException>(() =>
            CoreRelocator.Resolve(Local, new CoreRelocationRecord(0, type, access, kind), [Target]));

    [Theory]
    [InlineData("", "empty")]
    [InlineData(":0", "empty or starts with ':'")]
    [InlineData("0:", "expected an index")]
    [InlineData("0::1", "expected an index")]
    [InlineData("0:x", "expected an index")]
    [InlineData("0:-1", "negative")]
    [InlineData("0:13", "member index 13")]         // task_struct___mine has 13 members
    [InlineData("0:2:16", "array index 16")]       // char comm[16]
    [InlineData("0:0:0", "neither a struct, a union nor an array")]
    [InlineData("0:99999999999", "32 bits")]
    public void MalformedAccessStringsNameTheTypeAndTheString(string access, string why)
    {
        CoreRelocationException e = Refused(LTask, access, CoreRelocationKind.FieldByteOffset);
        Assert.Contains(why, e.Message);
        Assert.Contains($"[{LTask}] struct task_struct___mine", e.Message);
        Assert.Contains($"\"{access}\"", e.Message);
    }

    [Fact]
    public void SixtyFourAccessorsAtMost()
    {
        string tooLong = string.Join(':', Enumerable.Repeat("0", 65));
        Assert.Contains("more than 64", Refused(LTask, tooLong, CoreRelocationKind.FieldByteOffset).Message);
    }

    [Fact]
    public void TypeRelocationsTakeExactlyZero() =>
        Assert.Contains("must be \"0\"", Refused(LTask, "0:1", CoreRelocationKind.TypeExists).Message);

    [Theory]
    [InlineData("2", "out of range")]
    [InlineData("0:0", "single enumerator")]
    public void EnumRelocationsTakeOneEnumeratorIndex(string access, string why) =>
        Assert.Contains(why, Refused(LPidType, access, CoreRelocationKind.EnumValue).Message);

    [Fact]
    public void EnumRelocationsNeedAnEnum() =>
        Assert.Contains("needs an enum", Refused(LTask, "0", CoreRelocationKind.EnumValue).Message);

    [Fact]
    public void AnUnknownKindIsRefused() =>
        Assert.Contains("unknown", Refused(LTask, "0:0", (CoreRelocationKind)99).Message);

    [Fact]
    public void ALocalTypeOutOfRangeIsRefused() =>
        Assert.Contains("does not exist", Refused(9999, "0:0", CoreRelocationKind.FieldByteOffset).Message);

    [Fact]
    public void LeadingZerosAndAPlusSignParseAsSscanfDoes()
    {
        CoreRelocationResult r = CoreRelocator.Resolve(Local, new CoreRelocationRecord(0, LTask, "0:+01", CoreRelocationKind.FieldByteOffset), [Target]);
        Assert.Equal("0:1", r.LocalSpec.AccessString);
        Assert.Equal(20ul, r.Values.NewValue);
    }
}
