using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Links;

/// <summary>
/// Link info decoded for each link type this kernel lets a test create (the links are made here with raw
/// BPF_LINK_CREATE; the typed attach APIs live elsewhere): what the kernel reports must be what was attached.
/// Tracing, kprobe and kprobe_multi links cannot be made on this kernel (trampolines and kprobes are refused).
/// </summary>
public unsafe class LinkInfoTests
{
    static BpfProgram Returning(BpfProgramType type, int value, BpfAttachType? expected = null, uint attachBtfId = 0) =>
        BpfProgram.Load(new ProgramLoadOptions
        {
            Type = type,
            ExpectedAttachType = expected,
            AttachBtfId = attachBtfId,
            Instructions = new Assembler().Mov(R0, value).Exit().Build(),
        });

    static BpfFileDescriptor Create(ref LinkCreateAttr attr, BpfProgram program, string what)
    {
        using FdLease p = program.Fd.Lease();
        attr.ProgFd = p.UFd;
        return BpfSyscall.InvokeForFd(LinuxSyscalls.Instance, BpfCommand.LinkCreate, ref attr, what);
    }

    static uint IdOf(BpfProgram p) => p.GetInfo().Id;

    /// <summary>A file the uprobe tests probe: nothing maps it, so the probes are registered but never hit.</summary>
    static string ProbeTarget()
    {
        string path = Path.Combine(Path.GetTempPath(), Kernel.UniqueName("bpfsharp_probe"));
        File.WriteAllBytes(path, new byte[3 * 4096]);
        return path;
    }

    [Fact]
    public void A_perf_event_tracepoint_link_reports_the_tracepoint_and_cookie_and_runs()
    {
        Kernel.Require();
        string idFile = "/sys/kernel/tracing/events/syscalls/sys_enter_close/id";
        if (!File.Exists(idFile)) Assert.Skip("tracefs is not mounted at /sys/kernel/tracing");
        using var counts = ArrayMap<ulong>.Create(1, "li_tp");
        using BpfProgram program = BpfProgram.Load(new ProgramLoadOptions
        {
            Type = BpfProgramType.Tracepoint,
            Instructions = new Assembler()
                .Increment(counts, 0, "out")
                .Mov(R0, 0)
                .Exit()
                .Build(),
        });
        var perf = new PerfEventAttr { Type = (uint)PerfType.Tracepoint, Config = ulong.Parse(File.ReadAllText(idFile)) };
        using BpfFileDescriptor tracepoint = PerfEventFile.Open(ref perf, pid: 0, cpu: -1, "syscalls/sys_enter_close of this process");
        using FdLease t = tracepoint.Lease();
        var attr = new LinkCreateAttr { TargetFd = (uint)t.Fd, AttachType = (uint)BpfAttachType.PerfEvent, PerfEventBpfCookie = 0xC00C1E };
        using BpfFileDescriptor link = Create(ref attr, program, "tracepoint link");

        for (int i = 0; i < 10; i++) LinuxSyscalls.Instance.Close(-1);
        Assert.True(counts[0] >= 10, $"the program ran {counts[0]} times for 10 close() calls");

        LinkInfo info = LinkInfoReader.Read(link);
        Assert.Equal(BpfLinkType.PerfEvent, info.Type);
        Assert.Equal(IdOf(program), info.ProgramId);
        Assert.Equal(BpfPerfEventType.Tracepoint, info.PerfEventType);
        Assert.Equal("sys_enter_close", info.TracepointName);
        Assert.Equal(0xC00C1Eul, info.Cookie);
    }

    [Fact]
    public void A_perf_event_link_on_a_software_event_reports_its_type_config_and_cookie()
    {
        Kernel.Require();
        using BpfProgram program = Returning(BpfProgramType.PerfEvent, 0);
        // Page faults, not a clock: cpu-clock and task-clock have their own internal PMUs on 6.x, whose dynamic type
        // (7 here) is what the kernel then reports instead of PERF_TYPE_SOFTWARE.
        var perf = new PerfEventAttr { Type = (uint)PerfType.Software, Config = (ulong)PerfSoftwareEvent.PageFaults, SamplePeriod = 1_000_000 };
        using BpfFileDescriptor clock = PerfEventFile.Open(ref perf, pid: 0, cpu: -1, "page faults of this process");
        using FdLease c = clock.Lease();
        var attr = new LinkCreateAttr { TargetFd = (uint)c.Fd, AttachType = (uint)BpfAttachType.PerfEvent, PerfEventBpfCookie = 42 };
        using BpfFileDescriptor link = Create(ref attr, program, "perf event link");

        LinkInfo info = LinkInfoReader.Read(link);
        Assert.Equal(BpfPerfEventType.Event, info.PerfEventType);
        Assert.Equal(PerfType.Software, info.EventType);
        Assert.Equal((ulong)PerfSoftwareEvent.PageFaults, info.EventConfig);
        Assert.Equal(42ul, info.Cookie);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_perf_event_uprobe_link_reports_the_file_offset_and_cookie(bool retprobe)
    {
        Kernel.Require();
        string pmuType = "/sys/bus/event_source/devices/uprobe/type";
        if (!File.Exists(pmuType)) Assert.Skip("this kernel has no uprobe PMU");
        string target = ProbeTarget();
        try
        {
            using BpfProgram program = Returning(BpfProgramType.Kprobe, 0);
            fixed (byte* path = System.Text.Encoding.UTF8.GetBytes(target + "\0"))
            {
                var perf = new PerfEventAttr { Type = uint.Parse(File.ReadAllText(pmuType)), Config = retprobe ? 1u : 0u, UprobePath = (ulong)path, ProbeOffset = 0x1000 };
                using BpfFileDescriptor probe = PerfEventFile.Open(ref perf, pid: -1, cpu: 0, "uprobe on a scratch file");
                using FdLease p = probe.Lease();
                var attr = new LinkCreateAttr { TargetFd = (uint)p.Fd, AttachType = (uint)BpfAttachType.PerfEvent, PerfEventBpfCookie = 7 };
                using BpfFileDescriptor link = Create(ref attr, program, "uprobe link");

                LinkInfo info = LinkInfoReader.Read(link);
                Assert.Equal(retprobe ? BpfPerfEventType.Uretprobe : BpfPerfEventType.Uprobe, info.PerfEventType);
                Assert.Equal(target, info.Path);
                Assert.Equal(0x1000ul, info.Offset);
                Assert.Equal(0ul, info.RefCounterOffset);
                Assert.Equal(7ul, info.Cookie);
            }
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void An_uprobe_multi_link_reports_path_offsets_cookies_and_pid()
    {
        Kernel.Require();
        string target = ProbeTarget();
        try
        {
            using BpfProgram program = Returning(BpfProgramType.Kprobe, 0, BpfAttachType.TraceUprobeMulti);
            ulong[] offsets = [0x1000, 0x1800, 0x2000];
            ulong[] cookies = [11, 22, 33];
            fixed (byte* path = System.Text.Encoding.UTF8.GetBytes(target + "\0"))
            fixed (ulong* o = offsets)
            fixed (ulong* c = cookies)
            {
                var attr = new LinkCreateAttr
                {
                    AttachType = (uint)BpfAttachType.TraceUprobeMulti,
                    UprobeMultiPath = (ulong)path,
                    UprobeMultiOffsets = (ulong)o,
                    UprobeMultiCookies = (ulong)c,
                    UprobeMultiCnt = 3,
                    UprobeMultiFlags = (uint)UprobeMultiFlags.Return,
                    UprobeMultiPid = (uint)Environment.ProcessId,
                };
                using BpfFileDescriptor link = Create(ref attr, program, "uprobe_multi link");

                LinkInfo info = LinkInfoReader.Read(link);
                Assert.Equal(BpfLinkType.UprobeMulti, info.Type);
                Assert.Equal(target, info.Path);
                Assert.Equal(offsets, info.Offsets);
                Assert.Equal(cookies, info.Cookies);
                Assert.Equal([0ul, 0, 0], info.RefCounterOffsets);
                Assert.Equal((uint)UprobeMultiFlags.Return, info.Flags);
                Assert.Equal((uint)Environment.ProcessId, info.ProcessId);
            }
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void A_sockmap_link_reports_the_map_and_attach_type()
    {
        Kernel.Require();
        using BpfMap sockmap = BpfMap.Create(new MapSpec { Type = BpfMapType.SockMap, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "li_sockmap" });
        using BpfProgram program = Returning(BpfProgramType.SkSkb, 1);
        using FdLease m = sockmap.Fd.Lease();
        var attr = new LinkCreateAttr { TargetFd = (uint)m.Fd, AttachType = (uint)BpfAttachType.SkSkbVerdict };
        using BpfFileDescriptor link = Create(ref attr, program, "sockmap link");

        LinkInfo info = LinkInfoReader.Read(link);
        Assert.Equal(BpfLinkType.SockMap, info.Type);
        Assert.Equal(sockmap.GetInfo().Id, info.MapId);
        Assert.Equal(BpfAttachType.SkSkbVerdict, info.AttachType);
    }

    [Fact]
    public void Iterator_links_report_their_target_and_its_parameters()
    {
        Kernel.Require();
        BtfSpec vmlinux = KernelBtf.Vmlinux;
        uint TargetId(string name) => vmlinux.Find("bpf_iter_" + name, BtfKind.Func)?.Id ?? throw new InvalidOperationException($"no bpf_iter_{name} in vmlinux BTF");

        using BpfProgram tasks = Returning(BpfProgramType.Tracing, 0, BpfAttachType.TraceIter, TargetId("task"));
        uint[] taskInfo = [0, (uint)Environment.ProcessId, 0, 0]; // union bpf_iter_link_info.task: tid, pid, pid_fd
        fixed (uint* i = taskInfo)
        {
            var attr = new LinkCreateAttr { AttachType = (uint)BpfAttachType.TraceIter, IterInfo = (ulong)i, IterInfoLen = 16 };
            using BpfFileDescriptor link = Create(ref attr, tasks, "task iterator link");
            LinkInfo info = LinkInfoReader.Read(link);
            Assert.Equal(BpfLinkType.Iter, info.Type);
            Assert.Equal("task", info.IteratorTarget);
            Assert.Equal((uint)Environment.ProcessId, info.ProcessId);
            Assert.Equal(0u, info.ThreadId);
        }

        using var hash = HashMap<uint, ulong>.Create(4, "li_iter_map");
        using BpfProgram elements = Returning(BpfProgramType.Tracing, 0, BpfAttachType.TraceIter, TargetId("bpf_map_elem"));
        using FdLease m = hash.Map.Fd.Lease();
        uint[] mapInfo = [(uint)m.Fd, 0, 0, 0];
        fixed (uint* i = mapInfo)
        {
            var attr = new LinkCreateAttr { AttachType = (uint)BpfAttachType.TraceIter, IterInfo = (ulong)i, IterInfoLen = 16 };
            using BpfFileDescriptor link = Create(ref attr, elements, "map element iterator link");
            LinkInfo info = LinkInfoReader.Read(link);
            Assert.Equal("bpf_map_elem", info.IteratorTarget);
            Assert.Equal(hash.Map.GetInfo().Id, info.MapId);
        }
    }

    [Fact]
    public void A_netfilter_link_reports_family_hook_priority_and_flags()
    {
        Kernel.Require();
        using BpfProgram accept = Returning(BpfProgramType.Netfilter, 1, BpfAttachType.Netfilter); // NF_ACCEPT: changes nothing
        int priority = -200 + Environment.ProcessId % 100;
        var attr = new LinkCreateAttr
        {
            AttachType = (uint)BpfAttachType.Netfilter,
            NetfilterPf = 2,       // NFPROTO_IPV4
            NetfilterHooknum = 3,  // NF_INET_LOCAL_OUT
            NetfilterPriority = priority,
        };
        using BpfFileDescriptor link = Create(ref attr, accept, "netfilter link");

        LinkInfo info = LinkInfoReader.Read(link);
        Assert.Equal(BpfLinkType.Netfilter, info.Type);
        Assert.Equal(2u, info.ProtocolFamily);
        Assert.Equal(3u, info.Hook);
        Assert.Equal(priority, info.Priority);
        Assert.Equal(0u, info.Flags);
    }

    [Fact]
    public void A_tcx_link_reports_the_interface_and_direction()
    {
        Kernel.Require();
        using BpfProgram next = Returning(BpfProgramType.SchedCls, -1); // TCX_NEXT: the packet goes on as if nothing ran
        var attr = new LinkCreateAttr { TargetIfindex = 1, AttachType = (uint)BpfAttachType.TcxEgress }; // lo
        using BpfFileDescriptor link = Create(ref attr, next, "tcx link on lo");

        LinkInfo info = LinkInfoReader.Read(link);
        Assert.Equal(BpfLinkType.Tcx, info.Type);
        Assert.Equal(1u, info.IfIndex);
        Assert.Equal(BpfAttachType.TcxEgress, info.AttachType);
    }
}
