using BpfSharp.Btf;
using BpfSharp.Links.Sockets;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// The netfilter enums of the link API are a documented subset of the kernel's (<c>NFPROTO_*</c>, <c>enum nf_inet_hooks</c>);
/// their values are checked here against the running kernel's BTF so they cannot drift from it.
/// </summary>
public class NetfilterAbiTests
{
    static readonly Lazy<Dictionary<string, long>> enumerators = new(() =>
    {
        var all = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (BtfType t in BtfSpec.LoadKernel().Types)
            foreach (BtfEnumValue v in t.EnumValues)
                all.TryAdd(v.Name, v.Value);
        return all;
    });

    [Theory]
    [InlineData(NetfilterProtocol.IPv4, "NFPROTO_IPV4")]
    [InlineData(NetfilterProtocol.IPv6, "NFPROTO_IPV6")]
    [InlineData(NetfilterHook.PreRouting, "NF_INET_PRE_ROUTING")]
    [InlineData(NetfilterHook.LocalIn, "NF_INET_LOCAL_IN")]
    [InlineData(NetfilterHook.Forward, "NF_INET_FORWARD")]
    [InlineData(NetfilterHook.LocalOut, "NF_INET_LOCAL_OUT")]
    [InlineData(NetfilterHook.PostRouting, "NF_INET_POST_ROUTING")]
    public void ValuesAreTheKernels(object value, string kernelName)
    {
        Kernel.Require();
        Assert.True(enumerators.Value.TryGetValue(kernelName, out long expected), $"{kernelName} is not in vmlinux BTF");
        Assert.Equal(expected, Convert.ToInt64(value));
    }
}
