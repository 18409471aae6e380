using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Tracing;

/// <summary>
/// kprobes: on a kernel with a kprobe PMU (or kprobe_events) they attach and count; on one without (like the machines
/// these tests run on) attaching says so plainly. Each test checks whichever the running kernel is.
/// </summary>
public class KprobeTests
{
    static bool KernelHasKprobes =>
        File.Exists("/sys/bus/event_source/devices/kprobe/type") || (Tracefs.Root is { } root && File.Exists($"{root}/kprobe_events"));

    [Fact]
    public void AKprobeCountsOrSaysTheKernelHasNoKprobes()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "kp_open");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.Kprobe, counts, "kp_open");
        string function = BpfLink.SyscallFunction("openat");

        if (!KernelHasKprobes)
        {
            var e = Assert.Throws<BpfNotSupportedException>(() => BpfLink.Kprobe(program, function));
            Assert.Contains("this kernel has no kprobe PMU (/sys/bus/event_source/devices/kprobe does not exist)", e.Message);
            Assert.Contains("kprobe_events", e.Message);
            Assert.Contains(function, e.Message);
            var r = Assert.Throws<BpfNotSupportedException>(() => BpfLink.Kprobe(program, function, isReturn: true));
            Assert.Contains("cannot attach a kretprobe", r.Message);
            return;
        }
        using (BpfLink link = BpfLink.Kprobe(program, function, cookie: 5))
        {
            ulong start = counts[0];
            Effects.OpenFiles(20);
            Assert.True(counts[0] >= start + 20, $"counted {counts[0] - start} of at least 20 calls of {function}");
            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfPerfEventType.Kprobe, info.PerfEventKind);
            Assert.Equal(function, info.FunctionName);
        }
        Effects.AssertStops(counts, 0, () => Effects.OpenFiles(20));
    }

    [Fact]
    public void KprobeMultiCountsOrSaysTheKernelRefusesIt()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "kpm_open");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.Kprobe, counts, "kpm_open", BpfAttachType.TraceKprobeMulti);
        string function = BpfLink.SyscallFunction("openat");

        BpfLink link;
        try
        {
            link = BpfLink.KprobeMulti(program, [function], cookies: [9]);
        }
        catch (BpfSyscallException e) when (e.Errno == Errno.EOPNOTSUPP)
        {
            Assert.Equal(BpfCommand.LinkCreate, e.Command);
            Assert.Contains("this kernel does not support kprobe.multi links: BPF_LINK_CREATE returned EOPNOTSUPP", e.Message);
            Assert.Contains("CONFIG_FPROBE", e.Message);
            return;
        }
        using (link)
        {
            ulong start = counts[0];
            Effects.OpenFiles(20);
            Assert.True(counts[0] >= start + 20, $"counted {counts[0] - start} of at least 20 calls of {function}");
            Assert.Equal(9ul, counts[1]);
            Assert.Equal(1u, link.GetInfo().ProbeCount);
        }
        Effects.AssertStops(counts, 0, () => Effects.OpenFiles(20));
    }

    [Fact]
    public void KprobeMultiChecksItsArgumentsBeforeTheKernel()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "kpm_args");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.Kprobe, counts, "kpm_args");
        Assert.Throws<ArgumentException>(() => BpfLink.KprobeMulti(program, Array.Empty<string>()));
        var e = Assert.Throws<ArgumentException>(() => BpfLink.KprobeMulti(program, ["a", "b"], cookies: [1]));
        Assert.Contains("one cookie per function", e.Message);
        Assert.Throws<ArgumentException>(() => BpfLink.KprobeMulti(program, "no_such_function_here_*"));
    }

    [Fact]
    public void KsyscallProbesTheArchitecturesSyscallWrapper()
    {
        Kernel.Require();
        string function = BpfLink.SyscallFunction("openat");
        Assert.True(function is "sys_openat" || function.EndsWith("_sys_openat", StringComparison.Ordinal), function);
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && File.ReadLines("/proc/kallsyms").Any(l => l.EndsWith(" __x64_sys_openat", StringComparison.Ordinal)))
            Assert.Equal("__x64_sys_openat", function);
    }

    [Fact]
    public void KprobeSectionsLoadAndAttachAllNamesTheSectionThatCannotAttach()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("kprobes"));
        Assert.Equal(4, obj.Programs.Count);
        if (KernelHasKprobes) return; // AttachAll of kprobes is covered by the counting tests there

        var e = Assert.Throws<BpfObjectException>(() => obj.AttachAll());
        Assert.Contains("program 'on_open' (section 'kprobe/do_sys_openat2')", e.Message);
        Assert.Contains("this kernel has no kprobe PMU", e.Message);
        Assert.IsType<BpfNotSupportedException>(e.InnerException);
        Assert.Empty(obj.Links);
    }

    [Fact]
    public void GlobsMatchLikeLibbpfs()
    {
        Assert.True(KernelSymbols.GlobMatches("do_sys_*", "do_sys_openat2"));
        Assert.True(KernelSymbols.GlobMatches("*openat?", "do_sys_openat2"));
        Assert.True(KernelSymbols.GlobMatches("*", ""));
        Assert.False(KernelSymbols.GlobMatches("do_sys_?", "do_sys_open"));
        Assert.False(KernelSymbols.GlobMatches("vfs_*", "do_vfs_read"));
        Assert.True(KernelSymbols.GlobMatches("a*b*c", "aXXbYYc"));
    }
}
