using BpfSharp.Abi;
using BpfSharp.Elf;
using BpfSharp.Links;
using BpfSharp.Links.Uprobes;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Uprobes;

/// <summary>uprobe_multi links (BPF_TRACE_UPROBE_MULTI): one link, several functions, per-probe cookies.</summary>
public class UprobeMultiTests
{
    const BpfAttachType Multi = BpfAttachType.TraceUprobeMulti;

    [Fact]
    public void SeveralFunctionsEachWithItsCookie()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(4, "um_cookie");
        using BpfProgram program = ProbePrograms.CookieCounter(counts, Multi);
        using TargetProcess watched = binary.Start(5);
        using TargetProcess other = binary.Start(9);

        using BpfLink link = UprobeMultiLink.Attach(program, binary.Executable, ["bpfsharp_target", "bpfsharp_second", "bpfsharp_third"],
            new UprobeMultiOptions { Pid = watched.Pid, Cookies = [1, 2, 3] });
        UprobeLinkInfo info = UprobeLinkInfo.Read(link); // while the process lives: the kernel reports pid 0 once it is gone
        watched.Go();
        other.Go();

        // A round calls target once, second twice, third three times; the other process is filtered out.
        Assert.Equal(new ulong[] { 0, 5, 10, 15 }, new[] { counts[0], counts[1], counts[2], counts[3] });
        Assert.Equal(BpfLinkType.UprobeMulti, info.LinkType);
        Assert.Equal(binary.Executable, info.Path);
        Assert.Equal(watched.Pid, info.Pid);
        Assert.Equal([1ul, 2, 3], info.Cookies);
        using NativeElfFile elf = NativeElfFile.Open(binary.Executable);
        Assert.Equal(new[] { "bpfsharp_target", "bpfsharp_second", "bpfsharp_third" }.Select(f => SymbolResolver.Resolve(elf, f).FileOffset), info.Offsets);
    }

    [Fact]
    public void AGlobPatternInEveryProcessUntilDisposed()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        string exe = binary.PrivateCopy();
        using var counts = ArrayMap<ulong>.Create(1, "um_glob");
        using BpfProgram program = ProbePrograms.Counter(counts, Multi);

        using (BpfLink link = UprobeMultiLink.AttachPattern(program, exe, "bpfsharp_t*"))
        {
            Assert.Equal(2, UprobeLinkInfo.Read(link).Offsets.Count); // bpfsharp_target, bpfsharp_third
            using (TargetProcess a = UprobeTestBinary.Start(exe, 3))
            using (TargetProcess b = UprobeTestBinary.Start(exe, 2))
            {
                a.Go();
                b.Go();
            }
            Assert.Equal(5ul * (1 + 3), counts[0]);
        }

        using TargetProcess after = UprobeTestBinary.Start(exe, 4);
        after.Go();
        Assert.Equal(20ul, counts[0]);
    }

    [Fact]
    public void ReturnProbesFromTheSectionName()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var sums = ArrayMap<ulong>.Create(2, "um_ret");
        using BpfProgram program = ProbePrograms.ReturnValueSum(sums, Multi);
        using TargetProcess child = binary.Start(6);

        using BpfLink? link = UprobeMultiLink.FromSection(program, $"uretprobe.multi/{binary.Executable}:bpfsharp_targe?", child.Pid);
        child.Go();

        Assert.NotNull(link);
        Assert.True(UprobeLinkInfo.Read(link).Retprobe);
        Assert.Equal(6ul, sums[1]);
        Assert.Equal((ulong)UprobeTestBinary.TargetReturnSum(6), sums[0]);
    }

    [Fact]
    public void AProgramNotLoadedForUprobeMultiIsRefusedWithTheFix()
    {
        Kernel.Require();
        UprobeTestBinary binary = UprobeTestBinary.Get();
        using var counts = ArrayMap<ulong>.Create(1, "um_bad");
        using BpfProgram plain = ProbePrograms.Counter(counts);
        using BpfProgram multi = ProbePrograms.Counter(counts, Multi);

        var e = Assert.Throws<BpfSyscallException>(() => UprobeMultiLink.Attach(plain, binary.Executable, ["bpfsharp_target"]));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("TraceUprobeMulti", e.Message);

        // And the other way round: a program loaded for uprobe_multi cannot take a single perf-event uprobe.
        var single = Assert.Throws<BpfSyscallException>(() => UprobeLink.Attach(multi, binary.Executable, "bpfsharp_target"));
        Assert.Equal(Errno.EINVAL, single.Errno);
        Assert.Contains("UprobeMultiLink", single.Message);

        var missing = Assert.Throws<UprobeTargetException>(() => UprobeMultiLink.AttachPattern(multi, binary.Executable, "bpfsharp_nothing_*"));
        Assert.Contains("matches the pattern", missing.Message);
    }
}
