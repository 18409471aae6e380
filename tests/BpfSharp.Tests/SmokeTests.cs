using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests;

public class SmokeTests
{
    [Fact]
    public void HashMapRoundTripsAValue()
    {
        Kernel.Require();
        using var map = HashMap<uint, ulong>.Create(16, "smoke");
        map.Update(7, 42);
        Assert.True(map.TryGetValue(7, out ulong value));
        Assert.Equal(42ul, value);
        Assert.False(map.TryGetValue(8, out _));
        Assert.Equal(BpfMapType.Hash, map.Map.GetInfo().Type);
    }
}
