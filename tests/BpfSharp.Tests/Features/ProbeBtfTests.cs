using BpfSharp.Btf;
using BpfSharp.Features;
using Xunit;

namespace BpfSharp.Tests.Features;

public class ProbeBtfTests
{
    [Fact]
    public void TheLocalStorageBlobHoldsAnIntAndAStructOfOneInt()
    {
        BtfSpec spec = BtfSpec.Parse(ProbeBtf.IntKeyStructValue);
        Assert.Equal(3, spec.Types.Count);   // void + 2

        BtfType key = spec[ProbeBtf.IntTypeId];
        Assert.Equal(BtfKind.Int, key.Kind);
        Assert.Equal("int", key.Name);
        Assert.Equal(4u, key.Size);
        Assert.Equal(32, key.IntBits);
        Assert.Equal(0, key.IntOffset);

        BtfType value = spec[ProbeBtf.ValueTypeId];
        Assert.Equal(BtfKind.Struct, value.Kind);
        Assert.Equal(4u, value.Size);
        BtfMember member = Assert.Single(value.Members);
        Assert.Equal(ProbeBtf.IntTypeId, member.TypeId);
        Assert.Equal(0u, member.BitOffset);
    }

    [Fact]
    public void TheKernelAcceptsTheBlob()
    {
        Kernel.Require();
        using BtfHandle handle = BtfHandle.Load(ProbeBtf.IntKeyStructValue);
        Assert.NotEqual(0u, handle.Id);
    }
}
