using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>encode(parse(x)) is equivalent to x: same ids, kinds, names and kind-specific data, for every type of vmlinux.</summary>
public class BtfBuilderRoundTripTests
{
    [Fact]
    public void VmlinuxSurvivesParseEncodeParse()
    {
        if (!File.Exists("/sys/kernel/btf/vmlinux")) Assert.Skip("no kernel BTF on this machine");
        BtfSpec original = BtfSpec.LoadKernel();
        BtfSpec again = BtfSpec.Parse(BtfBuilder.From(original).Build());

        Assert.Equal(original.Types.Count, again.Types.Count);
        for (int id = 1; id < original.Types.Count; id++)
            AssertSame(original.Types[id], again.Types[id]);
    }

    [Fact]
    public void AddStringReturnsTheOffsetOfTheString()
    {
        var builder = new BtfBuilder();
        uint intId = builder.AddInt("int", 4, signed: true);
        uint offset = builder.AddString("a line of source");
        Assert.Equal(offset, builder.AddString("a line of source"));
        byte[] blob = builder.Build();
        int strings = 24 + BitConverter.ToInt32(blob, 12);
        Assert.Equal("a line of source", System.Text.Encoding.UTF8.GetString(blob, strings + (int)offset, "a line of source".Length));
        Assert.Equal(1u, intId);
    }

    static void AssertSame(BtfType a, BtfType b)
    {
        string where = a.ToString();
        Assert.True(a.Kind == b.Kind && a.Name == b.Name && a.KindFlag == b.KindFlag && a.Size == b.Size && a.TypeId == b.TypeId, where);
        Assert.True(a.IntEncoding == b.IntEncoding && a.IntOffset == b.IntOffset && a.IntBits == b.IntBits, where);
        Assert.True(a.ElementTypeId == b.ElementTypeId && a.IndexTypeId == b.IndexTypeId && a.ElementCount == b.ElementCount, where);
        Assert.True(a.Linkage == b.Linkage, where);
        Assert.Equal(a.Members, b.Members);
        Assert.Equal(a.EnumValues, b.EnumValues);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.Equal(a.Variables, b.Variables);
    }
}
