using BpfSharp.Tests.Fakes;
using BpfSharp.Abi;
using BpfSharp.Features;
using BpfSharp.Interop;
using Xunit;

namespace BpfSharp.Tests.Features;

/// <summary>Probes against the real kernel (Linux 6.18 here, which supports every map type the ABI lists).</summary>
public class KernelFeaturesTests
{
    public static TheoryData<BpfMapType> AllMapTypes()
    {
        var data = new TheoryData<BpfMapType>();
        // Distinct: the deprecated aliases (CgroupStorageDeprecated …) share their value with the current name.
        foreach (BpfMapType t in Enum.GetValues<BpfMapType>().Distinct())
            if (t != BpfMapType.Unspec) data.Add(t);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllMapTypes))]
    public void EveryMapTypeOfTheAbiIsSupported(BpfMapType type)
    {
        Kernel.Require();
        Assert.True(KernelFeatures.IsMapTypeSupported(type), $"{type} reported unsupported");
    }

    [Fact]
    public void TheMapTypeListCoversTheWholeAbi()
    {
        // Guards the theory above against silently testing fewer types: 6.18's enum bpf_map_type ends at ARENA (33).
        Assert.Equal(33, AllMapTypes().Count);
    }

    [Theory]
    [InlineData(BpfMapType.Unspec)]
    [InlineData((BpfMapType)999)]
    [InlineData((BpfMapType)(BpfMapType.Arena + 1))]
    public void UnknownMapTypesAreUnsupported(BpfMapType type)
    {
        Kernel.Require();
        Assert.False(KernelFeatures.IsMapTypeSupported(type));
    }

    [Theory]
    [InlineData(BpfProgramType.SocketFilter)]
    [InlineData(BpfProgramType.Xdp)]
    [InlineData(BpfProgramType.SchedCls)]
    [InlineData(BpfProgramType.Tracepoint)]
    [InlineData(BpfProgramType.RawTracepoint)]
    [InlineData(BpfProgramType.CgroupSkb)]
    [InlineData(BpfProgramType.CgroupSock)]
    [InlineData(BpfProgramType.CgroupSockAddr)]
    [InlineData(BpfProgramType.CgroupSockopt)]
    [InlineData(BpfProgramType.SkLookup)]
    [InlineData(BpfProgramType.SkReuseport)]
    [InlineData(BpfProgramType.Syscall)]
    [InlineData(BpfProgramType.Netfilter)]
    [InlineData(BpfProgramType.Kprobe)]
    [InlineData(BpfProgramType.PerfEvent)]
    [InlineData(BpfProgramType.FlowDissector)]
    [InlineData(BpfProgramType.SkMsg)]
    [InlineData(BpfProgramType.SkSkb)]
    // Loaded as tp_btf on a raw tracepoint found in vmlinux BTF.
    [InlineData(BpfProgramType.Tracing)]
    // Without an attach target the verifier's struct_ops check answers ENOTSUPP, which an unknown type never reaches.
    [InlineData(BpfProgramType.StructOps)]
    public void ProgramTypesThisKernelRunsAreSupported(BpfProgramType type)
    {
        Kernel.Require();
        Assert.True(KernelFeatures.IsProgramTypeSupported(type), $"{type} reported unsupported");
    }

    [Theory]
    [InlineData(BpfProgramType.Unspec)]
    [InlineData((BpfProgramType)999)]
    [InlineData((BpfProgramType)(BpfProgramType.Netfilter + 1))]
    public void UnknownProgramTypesAreUnsupported(BpfProgramType type)
    {
        Kernel.Require();
        Assert.False(KernelFeatures.IsProgramTypeSupported(type));
    }

    [Theory]
    [InlineData(BpfProgramType.Xdp, BpfHelperId.XdpAdjustHead, true)]
    [InlineData(BpfProgramType.SocketFilter, BpfHelperId.XdpAdjustHead, false)]
    [InlineData(BpfProgramType.SchedCls, BpfHelperId.XdpAdjustHead, false)]
    [InlineData(BpfProgramType.Tracepoint, BpfHelperId.GetCurrentPidTgid, true)]
    [InlineData(BpfProgramType.Kprobe, BpfHelperId.GetCurrentPidTgid, true)]
    [InlineData(BpfProgramType.RawTracepoint, BpfHelperId.GetCurrentPidTgid, true)]
    // Recent kernels put bpf_get_current_pid_tgid in the base helper set of CAP_BPF/CAP_PERFMON loaders, so on
    // this kernel an XDP program calling it loads outright; older kernels refuse it ("unknown func").
    [InlineData(BpfProgramType.Xdp, BpfHelperId.GetCurrentPidTgid, true)]
    // Helpers that stay tracing-only: stack ids, the legacy probe_read, attach cookies.
    [InlineData(BpfProgramType.Tracepoint, BpfHelperId.GetStackid, true)]
    [InlineData(BpfProgramType.Xdp, BpfHelperId.GetStackid, false)]
    [InlineData(BpfProgramType.SocketFilter, BpfHelperId.GetStackid, false)]
    [InlineData(BpfProgramType.Kprobe, BpfHelperId.ProbeRead, true)]
    [InlineData(BpfProgramType.Xdp, BpfHelperId.ProbeRead, false)]
    [InlineData(BpfProgramType.Tracepoint, BpfHelperId.GetAttachCookie, true)]
    [InlineData(BpfProgramType.Xdp, BpfHelperId.GetAttachCookie, false)]
    // Packet helpers are per packet kind.
    [InlineData(BpfProgramType.SocketFilter, BpfHelperId.SkbLoadBytes, true)]
    [InlineData(BpfProgramType.Xdp, BpfHelperId.SkbLoadBytes, false)]
    [InlineData(BpfProgramType.Tracepoint, BpfHelperId.XdpAdjustHead, false)]
    // Tracing (probed as tp_btf on a raw tracepoint): tracing helpers yes, packet helpers no.
    [InlineData(BpfProgramType.Tracing, BpfHelperId.GetCurrentPidTgid, true)]
    [InlineData(BpfProgramType.Tracing, BpfHelperId.XdpAdjustHead, false)]
    // A sleepable-only helper in a sleepable program type.
    [InlineData(BpfProgramType.Syscall, BpfHelperId.CopyFromUser, true)]
    // Arguments of the wrong type (r1 = 0 where a map or ctx is expected): still available.
    [InlineData(BpfProgramType.Xdp, BpfHelperId.MapLookupElem, true)]
    [InlineData(BpfProgramType.SocketFilter, BpfHelperId.MapLookupElem, true)]
    [InlineData(BpfProgramType.SchedCls, BpfHelperId.SkbStoreBytes, true)]
    [InlineData(BpfProgramType.SocketFilter, BpfHelperId.SkbStoreBytes, false)]
    // Takes no arguments, loads outright.
    [InlineData(BpfProgramType.Xdp, BpfHelperId.KtimeGetNs, true)]
    // An id past the end of the kernel's helper list ("invalid func").
    [InlineData(BpfProgramType.Xdp, (BpfHelperId)100_000, false)]
    // An unknown program type cannot call anything.
    [InlineData((BpfProgramType)999, BpfHelperId.KtimeGetNs, false)]
    public void HelpersAreReportedPerProgramType(BpfProgramType type, BpfHelperId helper, bool expected)
    {
        Kernel.Require();
        Assert.Equal(expected, KernelFeatures.IsHelperSupported(type, helper));
    }

    [Fact]
    public void SecondMapProbeMakesNoSyscall()
    {
        Kernel.Require();
        var counting = new CountingSyscalls(LinuxSyscalls.Instance);
        Assert.True(KernelFeatures.IsMapTypeSupported(BpfMapType.LpmTrie, counting));
        int afterFirst = counting.BpfCalls;
        Assert.True(counting.CallsOf(BpfCommand.MapCreate) >= 1, "the first call must probe the kernel");

        Assert.True(KernelFeatures.IsMapTypeSupported(BpfMapType.LpmTrie, counting));
        Assert.False(KernelFeatures.IsMapTypeSupported((BpfMapType)999, counting));
        int afterUnknown = counting.BpfCalls;
        Assert.Equal(afterFirst + 1, afterUnknown);   // only the new question reached the kernel

        Assert.False(KernelFeatures.IsMapTypeSupported((BpfMapType)999, counting));
        Assert.Equal(afterUnknown, counting.BpfCalls);
    }

    [Fact]
    public void SecondProgramAndHelperProbesMakeNoSyscall()
    {
        Kernel.Require();
        var counting = new CountingSyscalls(LinuxSyscalls.Instance);
        Assert.True(KernelFeatures.IsProgramTypeSupported(BpfProgramType.Xdp, counting));
        Assert.False(KernelFeatures.IsHelperSupported(BpfProgramType.SocketFilter, BpfHelperId.XdpAdjustHead, counting));
        int afterFirst = counting.CallsOf(BpfCommand.ProgLoad);
        Assert.True(afterFirst >= 2, "each first call must load a probe program");

        Assert.True(KernelFeatures.IsProgramTypeSupported(BpfProgramType.Xdp, counting));
        Assert.False(KernelFeatures.IsHelperSupported(BpfProgramType.SocketFilter, BpfHelperId.XdpAdjustHead, counting));
        Assert.Equal(afterFirst, counting.BpfCalls);
    }

    [Fact]
    public void EachSeamHasItsOwnCache()
    {
        Kernel.Require();
        var first = new CountingSyscalls(LinuxSyscalls.Instance);
        var second = new CountingSyscalls(LinuxSyscalls.Instance);
        Assert.True(KernelFeatures.IsMapTypeSupported(BpfMapType.Queue, first));
        Assert.True(KernelFeatures.IsMapTypeSupported(BpfMapType.Queue, second));
        Assert.True(second.BpfCalls >= 1);
    }

    [Fact]
    public void ConcurrentCallersProbeOnce()
    {
        Kernel.Require();
        var counting = new CountingSyscalls(LinuxSyscalls.Instance);
        bool[] answers = new bool[8];
        Parallel.For(0, answers.Length, i => answers[i] = KernelFeatures.IsMapTypeSupported(BpfMapType.BloomFilter, counting));
        Assert.All(answers, Assert.True);
        Assert.Equal(1, counting.CallsOf(BpfCommand.MapCreate));
    }

    [Fact]
    public void RequireThrowsNamingTheMissingThingAndTheKernel()
    {
        Kernel.Require();
        string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var map = Assert.Throws<BpfNotSupportedException>(() => KernelFeatures.RequireMapType((BpfMapType)999));
        Assert.Contains("999", map.Message);
        Assert.Contains(release, map.Message);

        var program = Assert.Throws<BpfNotSupportedException>(() => KernelFeatures.RequireProgramType((BpfProgramType)999));
        Assert.Contains("999", program.Message);
        Assert.Contains(release, program.Message);

        var helper = Assert.Throws<BpfNotSupportedException>(
            () => KernelFeatures.RequireHelper(BpfProgramType.SocketFilter, BpfHelperId.XdpAdjustHead));
        Assert.Contains("bpf_xdp_adjust_head", helper.Message);
        Assert.Contains("SocketFilter", helper.Message);
        Assert.Contains(release, helper.Message);

        KernelFeatures.RequireMapType(BpfMapType.RingBuf);
        KernelFeatures.RequireProgramType(BpfProgramType.Xdp);
        KernelFeatures.RequireHelper(BpfProgramType.Xdp, BpfHelperId.XdpAdjustHead);
    }

    [Fact]
    public void KernelReleaseIsTheRunningKernels()
    {
        Kernel.Require();
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), KernelFeatures.KernelRelease);
        Assert.Equal(Environment.OSVersion.Version.Major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            KernelFeatures.KernelRelease.Split('.')[0]);
    }
}

/// <summary>Why the probes use per-type attributes: with one generic shape the kernel's EINVAL would lie.</summary>
public class ProbeAttributeTests
{
    [Theory]
    [InlineData(BpfMapType.LpmTrie)]
    [InlineData(BpfMapType.CgroupStorage)]
    [InlineData(BpfMapType.SkStorage)]
    [InlineData(BpfMapType.TaskStorage)]
    [InlineData(BpfMapType.RingBuf)]
    [InlineData(BpfMapType.Arena)]
    [InlineData(BpfMapType.Queue)]
    [InlineData(BpfMapType.StructOps)]
    [InlineData(BpfMapType.ArrayOfMaps)]
    public void AGenericShapeIsRefusedWithEinvalForTypesThatExist(BpfMapType type)
    {
        Kernel.Require();
        var e = Assert.Throws<BpfSyscallException>(() =>
            BpfSharp.Maps.BpfMap.Create(new BpfSharp.Maps.MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 1 }));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.True(KernelFeatures.IsMapTypeSupported(type));
    }
}
