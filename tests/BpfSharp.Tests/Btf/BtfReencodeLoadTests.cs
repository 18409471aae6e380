using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Tests.Btf;

/// <summary>What BtfBuilder re-encodes, the kernel accepts (BPF_BTF_LOAD).</summary>
public class BtfReencodeLoadTests
{
    [Fact]
    public void ReencodedVmlinuxLoads()
    {
        Kernel.Require();
        if (!KernelBtf.IsAvailable) Assert.Skip("no kernel BTF");
        byte[] blob = BtfBuilder.From(KernelBtf.Vmlinux).Build();
        using BtfHandle handle = BtfHandle.Load(blob);
        Assert.True(handle.Id > 0);
    }

    [Fact]
    public void ReencodedClangObjectBtfLoads()
    {
        Kernel.Require();
        BtfSpec original = BtfSpec.Parse(ClangBtf.Compile("every_kind.bpf.c", ["NO_KSYM"]));
        BtfSpec fixedUp = ClangBtf.WithDataSectionsLaidOut(original);
        byte[] blob = BtfBuilder.From(fixedUp).Build();
        Assert.Equal(fixedUp.Types, BtfSpec.Parse(blob).Types);
        using BtfHandle handle = BtfHandle.Load(blob);
        Assert.True(handle.Id > 0);
    }

    [Fact]
    public void TheKernelStillRefusesWhatItRefused()
    {
        // Guards the test above against a kernel that accepts anything: clang's zero DATASEC sizes are refused.
        Kernel.Require();
        byte[] raw = BtfBuilder.From(BtfSpec.Parse(ClangBtf.Compile("every_kind.bpf.c", ["NO_KSYM"]))).Build();
        var e = Assert.Throws<BpfSyscallException>(() => BtfHandle.Load(raw));
        Assert.Contains("size", e.Message);
    }
}
