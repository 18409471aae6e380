using BpfSharp.Abi;
using static BpfSharp.Abi.BpfAttachType;
using static BpfSharp.Abi.BpfProgramType;
using static BpfSharp.Objects.SectionConventionFlags;

namespace BpfSharp.Objects;

/// <summary>What a SEC convention implies beyond program and attach type (libbpf's <c>enum sec_def_flags</c>).</summary>
[Flags]
public enum SectionConventionFlags
{
    None = 0,
    /// <summary>Old kernels may not accept the expected attach type; the loader may drop it when unsupported.</summary>
    AttachTypeOptional = 1,
    /// <summary>Attached with BPF_PROG_ATTACH or a link (informational).</summary>
    Attachable = 2,
    /// <summary>The target is a BTF id (kernel function, tracepoint, LSM hook, BPF program) named after the '/'.</summary>
    AttachBtf = 4,
    /// <summary>Loaded with BPF_F_SLEEPABLE.</summary>
    Sleepable = 8,
    /// <summary>XDP program that handles multi-buffer packets: loaded with BPF_F_XDP_HAS_FRAGS.</summary>
    XdpFrags = 16,
    /// <summary>USDT probe: expected attach type BPF_TRACE_UPROBE_MULTI when the kernel has uprobe_multi links.</summary>
    Usdt = 32,
    AttachableOptional = Attachable | AttachTypeOptional,
}

/// <summary>
/// One SEC convention: a section-name pattern and what it means. A pattern ending in <c>+</c> matches the bare
/// prefix or the prefix followed by <c>/</c> and a target; one ending in <c>/</c> needs a target; any other
/// pattern must match the whole name.
/// </summary>
public sealed record SectionConvention(string Pattern, BpfProgramType ProgramType, BpfAttachType? ExpectedAttachType, SectionConventionFlags Flags)
{
    string Prefix => Pattern.EndsWith('+') ? Pattern[..^1] : Pattern;

    public bool Matches(string sectionName)
    {
        if (Pattern.EndsWith('/'))
            return sectionName.StartsWith(Pattern, StringComparison.Ordinal);
        if (Pattern.EndsWith('+'))
            return sectionName.StartsWith(Prefix, StringComparison.Ordinal)
                && (sectionName.Length == Prefix.Length || sectionName[Prefix.Length] == '/');
        return sectionName == Pattern;
    }

    /// <summary>The part of <paramref name="sectionName"/> after the prefix and its '/', or null when there is none.</summary>
    public string? TargetOf(string sectionName)
    {
        if (Pattern.EndsWith('/'))
            return sectionName.Length > Pattern.Length ? sectionName[Pattern.Length..] : null;
        if (Pattern.EndsWith('+'))
            return sectionName.Length > Prefix.Length + 1 ? sectionName[(Prefix.Length + 1)..] : null;
        return null;
    }

    /// <summary>The BPF_PROG_LOAD flags the convention implies.</summary>
    public ProgramLoadFlags LoadFlags =>
        ((Flags & Sleepable) != 0 ? ProgramLoadFlags.Sleepable : 0)
        | ((Flags & XdpFrags) != 0 && ProgramType == BpfProgramType.Xdp ? ProgramLoadFlags.XdpHasFrags : 0);
}

/// <summary>
/// libbpf's table of SEC conventions (<c>section_defs[]</c> in libbpf.c), in its order: the first match wins,
/// so longer prefixes come before shorter ones that would also match.
/// </summary>
public static class SectionConventions
{
    public static IReadOnlyList<SectionConvention> All { get; } =
    [
        new("socket", SocketFilter, null, None),
        new("sk_reuseport/migrate", SkReuseport, SkReuseportSelectOrMigrate, Attachable),
        new("sk_reuseport", SkReuseport, SkReuseportSelect, Attachable),
        new("kprobe+", Kprobe, null, None),
        new("uprobe+", Kprobe, null, None),
        new("uprobe.s+", Kprobe, null, Sleepable),
        new("kretprobe+", Kprobe, null, None),
        new("uretprobe+", Kprobe, null, None),
        new("uretprobe.s+", Kprobe, null, Sleepable),
        new("kprobe.multi+", Kprobe, TraceKprobeMulti, None),
        new("kretprobe.multi+", Kprobe, TraceKprobeMulti, None),
        new("kprobe.session+", Kprobe, TraceKprobeSession, None),
        new("uprobe.multi+", Kprobe, TraceUprobeMulti, None),
        new("uretprobe.multi+", Kprobe, TraceUprobeMulti, None),
        new("uprobe.session+", Kprobe, TraceUprobeSession, None),
        new("uprobe.multi.s+", Kprobe, TraceUprobeMulti, Sleepable),
        new("uretprobe.multi.s+", Kprobe, TraceUprobeMulti, Sleepable),
        new("uprobe.session.s+", Kprobe, TraceUprobeSession, Sleepable),
        new("ksyscall+", Kprobe, null, None),
        new("kretsyscall+", Kprobe, null, None),
        new("usdt+", Kprobe, null, Usdt),
        new("usdt.s+", Kprobe, null, Usdt | Sleepable),
        new("tc/ingress", SchedCls, TcxIngress, None),
        new("tc/egress", SchedCls, TcxEgress, None),
        new("tcx/ingress", SchedCls, TcxIngress, None),
        new("tcx/egress", SchedCls, TcxEgress, None),
        new("tc", SchedCls, null, None),
        new("classifier", SchedCls, null, None),
        new("action", SchedAct, null, None),
        new("netkit/primary", SchedCls, NetkitPrimary, None),
        new("netkit/peer", SchedCls, NetkitPeer, None),
        new("tracepoint+", Tracepoint, null, None),
        new("tp+", Tracepoint, null, None),
        new("tracepoint.s+", Tracepoint, null, Sleepable),
        new("tp.s+", Tracepoint, null, Sleepable),
        new("raw_tracepoint+", RawTracepoint, null, None),
        new("raw_tp+", RawTracepoint, null, None),
        new("raw_tracepoint.s+", RawTracepoint, null, Sleepable),
        new("raw_tp.s+", RawTracepoint, null, Sleepable),
        new("raw_tracepoint.w+", RawTracepointWritable, null, None),
        new("raw_tp.w+", RawTracepointWritable, null, None),
        new("tp_btf+", Tracing, TraceRawTp, AttachBtf),
        new("tp_btf.s+", Tracing, TraceRawTp, AttachBtf | Sleepable),
        new("fentry+", Tracing, TraceFentry, AttachBtf),
        new("fmod_ret+", Tracing, ModifyReturn, AttachBtf),
        new("fexit+", Tracing, TraceFexit, AttachBtf),
        new("fentry.s+", Tracing, TraceFentry, AttachBtf | Sleepable),
        new("fmod_ret.s+", Tracing, ModifyReturn, AttachBtf | Sleepable),
        new("fexit.s+", Tracing, TraceFexit, AttachBtf | Sleepable),
        new("freplace+", Ext, null, AttachBtf),
        new("lsm+", Lsm, LsmMac, AttachBtf),
        new("lsm.s+", Lsm, LsmMac, AttachBtf | Sleepable),
        new("lsm_cgroup+", Lsm, LsmCgroup, AttachBtf),
        new("iter+", Tracing, TraceIter, AttachBtf),
        new("iter.s+", Tracing, TraceIter, AttachBtf | Sleepable),
        new("syscall", BpfProgramType.Syscall, null, Sleepable),
        new("xdp.frags/devmap", BpfProgramType.Xdp, XdpDevMap, XdpFrags),
        new("xdp/devmap", BpfProgramType.Xdp, XdpDevMap, Attachable),
        new("xdp.frags/cpumap", BpfProgramType.Xdp, XdpCpuMap, XdpFrags),
        new("xdp/cpumap", BpfProgramType.Xdp, XdpCpuMap, Attachable),
        new("xdp.frags", BpfProgramType.Xdp, BpfAttachType.Xdp, XdpFrags),
        new("xdp", BpfProgramType.Xdp, BpfAttachType.Xdp, AttachableOptional),
        new("perf_event", BpfProgramType.PerfEvent, null, None),
        new("lwt_in", LwtIn, null, None),
        new("lwt_out", LwtOut, null, None),
        new("lwt_xmit", LwtXmit, null, None),
        new("lwt_seg6local", LwtSeg6local, null, None),
        new("sockops", SockOps, CgroupSockOps, AttachableOptional),
        new("sk_skb/stream_parser", SkSkb, SkSkbStreamParser, AttachableOptional),
        new("sk_skb/stream_verdict", SkSkb, SkSkbStreamVerdict, AttachableOptional),
        new("sk_skb/verdict", SkSkb, SkSkbVerdict, AttachableOptional),
        new("sk_skb", SkSkb, null, None),
        new("sk_msg", SkMsg, SkMsgVerdict, AttachableOptional),
        new("lirc_mode2", BpfProgramType.LircMode2, BpfAttachType.LircMode2, AttachableOptional),
        new("flow_dissector", BpfProgramType.FlowDissector, BpfAttachType.FlowDissector, AttachableOptional),
        new("cgroup_skb/ingress", CgroupSkb, CgroupInetIngress, AttachableOptional),
        new("cgroup_skb/egress", CgroupSkb, CgroupInetEgress, AttachableOptional),
        new("cgroup/skb", CgroupSkb, null, None),
        new("cgroup/sock_create", CgroupSock, CgroupInetSockCreate, Attachable),
        new("cgroup/sock_release", CgroupSock, CgroupInetSockRelease, Attachable),
        new("cgroup/sock", CgroupSock, CgroupInetSockCreate, AttachableOptional),
        new("cgroup/post_bind4", CgroupSock, CgroupInet4PostBind, Attachable),
        new("cgroup/post_bind6", CgroupSock, CgroupInet6PostBind, Attachable),
        new("cgroup/bind4", CgroupSockAddr, CgroupInet4Bind, Attachable),
        new("cgroup/bind6", CgroupSockAddr, CgroupInet6Bind, Attachable),
        new("cgroup/connect4", CgroupSockAddr, CgroupInet4Connect, Attachable),
        new("cgroup/connect6", CgroupSockAddr, CgroupInet6Connect, Attachable),
        new("cgroup/connect_unix", CgroupSockAddr, CgroupUnixConnect, Attachable),
        new("cgroup/sendmsg4", CgroupSockAddr, CgroupUdp4Sendmsg, Attachable),
        new("cgroup/sendmsg6", CgroupSockAddr, CgroupUdp6Sendmsg, Attachable),
        new("cgroup/sendmsg_unix", CgroupSockAddr, CgroupUnixSendmsg, Attachable),
        new("cgroup/recvmsg4", CgroupSockAddr, CgroupUdp4Recvmsg, Attachable),
        new("cgroup/recvmsg6", CgroupSockAddr, CgroupUdp6Recvmsg, Attachable),
        new("cgroup/recvmsg_unix", CgroupSockAddr, CgroupUnixRecvmsg, Attachable),
        new("cgroup/getpeername4", CgroupSockAddr, CgroupInet4Getpeername, Attachable),
        new("cgroup/getpeername6", CgroupSockAddr, CgroupInet6Getpeername, Attachable),
        new("cgroup/getpeername_unix", CgroupSockAddr, CgroupUnixGetpeername, Attachable),
        new("cgroup/getsockname4", CgroupSockAddr, CgroupInet4Getsockname, Attachable),
        new("cgroup/getsockname6", CgroupSockAddr, CgroupInet6Getsockname, Attachable),
        new("cgroup/getsockname_unix", CgroupSockAddr, CgroupUnixGetsockname, Attachable),
        new("cgroup/sysctl", BpfProgramType.CgroupSysctl, BpfAttachType.CgroupSysctl, Attachable),
        new("cgroup/getsockopt", CgroupSockopt, CgroupGetsockopt, Attachable),
        new("cgroup/setsockopt", CgroupSockopt, CgroupSetsockopt, Attachable),
        new("cgroup/dev", BpfProgramType.CgroupDevice, BpfAttachType.CgroupDevice, AttachableOptional),
        new("struct_ops+", BpfProgramType.StructOps, null, None),
        new("struct_ops.s+", BpfProgramType.StructOps, null, Sleepable),
        new("sk_lookup", BpfProgramType.SkLookup, BpfAttachType.SkLookup, Attachable),
        new("netfilter", BpfProgramType.Netfilter, BpfAttachType.Netfilter, None),
    ];

    /// <summary>The first convention matching <paramref name="sectionName"/> (without a leading '?'), or null.</summary>
    public static SectionConvention? Find(string sectionName)
    {
        if (sectionName.StartsWith('?')) sectionName = sectionName[1..];
        foreach (SectionConvention convention in All)
            if (convention.Matches(sectionName))
                return convention;
        return null;
    }
}
