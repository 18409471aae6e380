using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Tests.Btf;

public class KernelBtfTests
{
    static void RequireKernelBtf()
    {
        if (KernelBtf.IsAvailable) return;
        if (Kernel.InCi) Assert.Fail("CI machines have kernel BTF at /sys/kernel/btf/vmlinux; it is missing.");
        Assert.Skip("no kernel BTF on this machine");
    }

    [Fact]
    public void TheMappedVmlinuxReadsLikeTheFile()
    {
        RequireKernelBtf();
        BtfSpec mapped = KernelBtf.LoadVmlinux();
        BtfSpec read = BtfSpec.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux"));
        Assert.True(mapped.RawData.Span.SequenceEqual(read.RawData.Span));
        Assert.Equal(read.TypeCount, mapped.TypeCount);
        for (uint id = 0; id < read.TypeCount; id += 97) Assert.Equal(read[id], mapped[id]);
        Assert.Equal(read.Find("task_struct", BtfKind.Struct), mapped.Find("task_struct", BtfKind.Struct));
    }

    [Fact]
    public void VmlinuxIsParsedOnceAndShared()
    {
        RequireKernelBtf();
        Assert.Same(KernelBtf.Vmlinux, KernelBtf.Vmlinux);
        Assert.NotNull(KernelBtf.Vmlinux.Find("bpf_attr", BtfKind.Union));
    }

    [Fact]
    public void ModulesListTheSysfsEntriesOtherThanVmlinux()
    {
        RequireKernelBtf();
        string[] expected = [.. Directory.EnumerateFiles("/sys/kernel/btf").Select(Path.GetFileName).Where(n => n != "vmlinux").Order(StringComparer.Ordinal)!];
        Assert.Equal(expected, KernelBtf.Modules);
        foreach (string module in expected.Take(3))
        {
            BtfSpec spec = KernelBtf.LoadModule(module);
            Assert.Same(KernelBtf.Vmlinux, spec.Base);
            Assert.Equal((uint)KernelBtf.Vmlinux.TypeCount, spec.FirstTypeId);
        }
        Assert.Throws<FileNotFoundException>(() => KernelBtf.LoadModule("no_such_module_btf"));
        Assert.Throws<ArgumentException>(() => KernelBtf.LoadModule("../vmlinux"));
    }
}
