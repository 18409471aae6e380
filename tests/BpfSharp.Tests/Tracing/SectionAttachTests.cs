using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Links;
using BpfSharp.Objects;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Tracing;

/// <summary>Which sections AttachAll attaches and why it skips the others: the section name alone decides (no kernel).</summary>
public class SectionAttachTests
{
    static ProgramDefinition Program(string section)
    {
        SectionConvention? convention = SectionConventions.Find(section);
        return new ProgramDefinition
        {
            Name = "p",
            SectionName = section,
            Type = convention?.ProgramType ?? BpfProgramType.Unspec,
            ExpectedAttachType = convention?.ExpectedAttachType,
            Convention = convention?.Pattern,
            AttachTarget = convention?.TargetOf(section),
            Instructions = [],
        };
    }

    [Theory]
    [InlineData("tracepoint/syscalls/sys_enter_openat")]
    [InlineData("tp/sched/sched_switch")]
    [InlineData("raw_tp/sys_enter")]
    [InlineData("raw_tracepoint.w/bpf_test_finish")]
    [InlineData("tp_btf/sched_process_exec")]
    [InlineData("fentry/do_sys_openat2")]
    [InlineData("fexit/do_sys_openat2")]
    [InlineData("fmod_ret/security_file_open")]
    [InlineData("lsm/file_open")]
    [InlineData("lsm.s/bprm_check_security")]
    [InlineData("kprobe/do_sys_openat2+0x10")]
    [InlineData("kretprobe/do_sys_openat2")]
    [InlineData("kprobe.multi/do_sys_*")]
    [InlineData("kretprobe.multi/vfs_*")]
    [InlineData("ksyscall/openat")]
    [InlineData("kretsyscall/openat")]
    [InlineData("iter/task")]
    [InlineData("iter/bpf_map_elem")]
    [InlineData("uprobe/libc.so.6:getpid")]
    [InlineData("uretprobe//usr/bin/true:main+4")]
    [InlineData("uprobe.multi/libc.so.6:str*")]
    [InlineData("usdt/libc.so.6:provider:name")]
    public void SectionsThatNameTheirTargetAttach(string section)
    {
        Assert.True(SectionAttach.CanAttach(Program(section), out string reason), reason);
    }

    [Theory]
    [InlineData("xdp", "network interface")]
    [InlineData("tc", "network interface")]
    [InlineData("tcx/ingress", "network interface")]
    [InlineData("cgroup_skb/egress", "cgroup")]
    [InlineData("cgroup/connect4", "cgroup")]
    [InlineData("lsm_cgroup/socket_bind", "cgroup")]
    [InlineData("socket", "socket")]
    [InlineData("sk_msg", "sockmap")]
    [InlineData("sk_lookup", "network namespace")]
    [InlineData("netfilter", "protocol family")]
    [InlineData("syscall", "BPF_PROG_TEST_RUN")]
    [InlineData("struct_ops/ssthresh", ".struct_ops map")]
    [InlineData("perf_event", "perf event")]
    [InlineData("kprobe", "names no target")]
    [InlineData("tracepoint", "names no target")]
    [InlineData("usdt", "names no target")]
    [InlineData("uprobe", "names no target")]
    [InlineData("my_custom_section", "matches no SEC convention")]
    public void SectionsThatNeedMoreAreSkippedWithAReason(string section, string because)
    {
        Assert.False(SectionAttach.CanAttach(Program(section), out string reason));
        Assert.Contains(because, reason);
    }

    [Fact]
    public void AttachingAnUnattachableSectionSaysWhy()
    {
        Kernel.Require();
        using BpfProgram xdp = BpfProgram.Load(new ProgramLoadOptions
        {
            Type = BpfProgramType.Xdp,
            Instructions = new Assembler().Mov(Register.R0, 2).Exit().Build(),
        });
        var e = Assert.Throws<InvalidOperationException>(() => SectionAttach.Attach(xdp, Program("xdp")));
        Assert.Contains("program 'p' (section 'xdp')", e.Message);
        Assert.Contains("network interface", e.Message);
    }
}
