using BpfSharp.Abi;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Objects;

public class SectionConventionsTests
{
    /// <summary>Every convention we know, tried bare and with a target, is typed as libbpf 1.1 types it (where 1.1 knows it).</summary>
    [Fact]
    public void EveryConventionMatchesLibbpf()
    {
        int compared = 0;
        foreach (SectionConvention convention in SectionConventions.All)
        {
            foreach (string section in ExampleNames(convention))
            {
                SectionConvention? ours = SectionConventions.Find(section);
                Assert.True(ours is not null, $"'{section}' matches nothing");
                var theirs = Libbpf.ProgramTypeByName(section);
                if (theirs is null)
                {
                    Assert.Contains(ours.Pattern, LibbpfComparison.NewerThanLibbpf11);
                    continue;
                }
                if (LibbpfComparison.NewerThanLibbpf11.Contains(ours.Pattern)) continue; // 1.1 matched an older, shorter convention
                Assert.True(((uint)ours.ProgramType, (uint)(ours.ExpectedAttachType ?? 0)) == theirs.Value,
                    $"'{section}': ours {ours.ProgramType}/{ours.ExpectedAttachType} ({ours.Pattern}), libbpf {theirs.Value}");
                compared++;
            }
        }
        Assert.True(compared > 100, $"{compared} compared");
    }

    static IEnumerable<string> ExampleNames(SectionConvention c)
    {
        if (c.Pattern.EndsWith('+'))
        {
            yield return c.Pattern[..^1];
            yield return c.Pattern[..^1] + "/some_target";
        }
        else
        {
            yield return c.Pattern;
        }
    }

    [Theory]
    [InlineData("tracepoint/syscalls/sys_enter_openat", BpfProgramType.Tracepoint, null, "syscalls/sys_enter_openat")]
    [InlineData("uprobe//usr/bin/bash:readline", BpfProgramType.Kprobe, null, "/usr/bin/bash:readline")]
    [InlineData("fentry/do_unlinkat", BpfProgramType.Tracing, BpfAttachType.TraceFentry, "do_unlinkat")]
    [InlineData("tp_btf", BpfProgramType.Tracing, BpfAttachType.TraceRawTp, null)]
    [InlineData("cgroup_skb/ingress", BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetIngress, null)]
    [InlineData("tcx/egress", BpfProgramType.SchedCls, BpfAttachType.TcxEgress, null)]
    [InlineData("xdp.frags/devmap", BpfProgramType.Xdp, BpfAttachType.XdpDevMap, null)]
    [InlineData("?xdp", BpfProgramType.Xdp, BpfAttachType.Xdp, null)]
    public void TypeAttachTypeAndTarget(string section, BpfProgramType type, BpfAttachType? attach, string? target)
    {
        SectionConvention c = SectionConventions.Find(section)!;
        Assert.Equal(type, c.ProgramType);
        Assert.Equal(attach, c.ExpectedAttachType);
        Assert.Equal(target, c.TargetOf(section.TrimStart('?')));
    }

    [Theory]
    [InlineData("kprobex")] // a prefix of "kprobe" is not enough: '+' needs '/' or the end
    [InlineData("xdp_foo")]
    [InlineData("cgroup/unknown_hook")]
    [InlineData("")]
    public void NamesThatAreNoConventionMatchNothing(string section)
    {
        Assert.Null(SectionConventions.Find(section));
        Assert.Null(Libbpf.ProgramTypeByName(section));
    }

    [Theory]
    [InlineData("fexit.s/x", ProgramLoadFlags.Sleepable)]
    [InlineData("syscall", ProgramLoadFlags.Sleepable)]
    [InlineData("xdp.frags", ProgramLoadFlags.XdpHasFrags)]
    [InlineData("xdp", ProgramLoadFlags.None)]
    [InlineData("uprobe.multi.s/x:y", ProgramLoadFlags.Sleepable)]
    public void LoadFlags(string section, ProgramLoadFlags flags) => Assert.Equal(flags, SectionConventions.Find(section)!.LoadFlags);
}
