using BpfSharp.Abi;

namespace BpfSharp.Links;

/// <summary>
/// What the kernel reports about a link (BPF_OBJ_GET_INFO_BY_FD), decoded for every link type this kernel has. The
/// attach-specific members are set for the link types that carry them and null otherwise:
/// <list type="bullet">
/// <item>raw tracepoint: <see cref="TracepointName"/>, <see cref="Cookie"/>.</item>
/// <item>tracing (fentry/fexit/…, tp_btf): <see cref="AttachType"/>, <see cref="TargetObjectId"/>, <see cref="TargetBtfId"/>, <see cref="Cookie"/>.</item>
/// <item>cgroup: <see cref="CgroupId"/>, <see cref="AttachType"/>.</item>
/// <item>iterator: <see cref="IteratorTarget"/>, and by target <see cref="MapId"/> (<c>bpf_map_elem</c>, <c>bpf_sk_storage_map</c>,
/// <c>sockmap</c>), <see cref="CgroupId"/> and <see cref="IteratorOrder"/> (<c>cgroup</c>), <see cref="ThreadId"/> and
/// <see cref="ProcessId"/> (<c>task</c>, <c>task_file</c>, <c>task_vma</c>).</item>
/// <item>netns (flow dissector, sk_lookup): <see cref="NetnsInode"/>, <see cref="AttachType"/>.</item>
/// <item>XDP: <see cref="IfIndex"/>. tcx and netkit: <see cref="IfIndex"/>, <see cref="AttachType"/>.</item>
/// <item>perf event: <see cref="PerfEventType"/>, then for uprobes <see cref="Path"/>, <see cref="Offset"/>,
/// <see cref="RefCounterOffset"/>, <see cref="Cookie"/>; for kprobes <see cref="FunctionName"/>, <see cref="Offset"/>,
/// <see cref="Address"/>, <see cref="Missed"/>, <see cref="Cookie"/>; for tracepoints <see cref="TracepointName"/>,
/// <see cref="Cookie"/>; for perf events <see cref="EventType"/>, <see cref="EventConfig"/>, <see cref="Cookie"/>.</item>
/// <item>kprobe_multi: <see cref="Addresses"/>, <see cref="Cookies"/>, <see cref="Flags"/>, <see cref="Missed"/>.</item>
/// <item>uprobe_multi: <see cref="Path"/>, <see cref="Offsets"/>, <see cref="RefCounterOffsets"/>, <see cref="Cookies"/>,
/// <see cref="Flags"/>, <see cref="ProcessId"/>.</item>
/// <item>struct_ops and sockmap: <see cref="MapId"/> (sockmap also <see cref="AttachType"/>).</item>
/// <item>netfilter: <see cref="ProtocolFamily"/>, <see cref="Hook"/>, <see cref="Priority"/>, <see cref="Flags"/>.</item>
/// </list>
/// </summary>
public sealed record LinkInfo(uint Id, BpfLinkType Type, uint ProgramId)
{
    /// <summary>The attach type, for cgroup, tracing, netns, tcx, netkit and sockmap links.</summary>
    public BpfAttachType? AttachType { get; init; }

    /// <summary>The cgroup's id (its inode number in cgroupfs), for cgroup links and cgroup iterators; 0 once the link is detached or the cgroup is gone.</summary>
    public ulong? CgroupId { get; init; }

    /// <summary>The tracepoint's name, for raw tracepoint links and perf-event tracepoint links.</summary>
    public string? TracepointName { get; init; }

    /// <summary>The BPF cookie the program reads with <c>bpf_get_attach_cookie</c> (raw tracepoint, tracing and perf-event links).</summary>
    public ulong? Cookie { get; init; }

    /// <summary>The network interface, for XDP, tcx and netkit links.</summary>
    public uint? IfIndex { get; init; }

    /// <summary>The network namespace's inode number, for netns links (flow dissector, sk_lookup).</summary>
    public uint? NetnsInode { get; init; }

    /// <summary>Tracing links: the id of the BPF program attached to (freplace, fentry on a BPF function) or of the kernel module's BTF; 0 for vmlinux.</summary>
    public uint? TargetObjectId { get; init; }

    /// <summary>Tracing links: the BTF id of the function attached to.</summary>
    public uint? TargetBtfId { get; init; }

    /// <summary>Iterator links: the target (<c>task</c>, <c>bpf_map_elem</c>, <c>cgroup</c> …).</summary>
    public string? IteratorTarget { get; init; }

    /// <summary>The map: iterated (map-element iterators), the struct_ops map, or the sockmap/sockhash attached to.</summary>
    public uint? MapId { get; init; }

    /// <summary>cgroup iterators: the walk order (<c>enum bpf_cgroup_iter_order</c>).</summary>
    public uint? IteratorOrder { get; init; }

    /// <summary>Task iterators: the thread they are limited to (0: all).</summary>
    public uint? ThreadId { get; init; }

    /// <summary>Task iterators and uprobe_multi links: the process they are limited to (0: all).</summary>
    public uint? ProcessId { get; init; }

    /// <summary>Perf-event links: what the perf event is (uprobe, uretprobe, kprobe, kretprobe, tracepoint, event).</summary>
    public BpfPerfEventType? PerfEventType { get; init; }

    /// <summary>The probed file, for uprobe perf-event links and uprobe_multi links.</summary>
    public string? Path { get; init; }

    /// <summary>Kprobe perf-event links: the probed kernel function (empty when attached by address).</summary>
    public string? FunctionName { get; init; }

    /// <summary>Uprobe perf-event links: the offset in the file; kprobe perf-event links: the offset from the function.</summary>
    public ulong? Offset { get; init; }

    /// <summary>Kprobe perf-event links: the probed address (0 unless the reader may see kernel addresses).</summary>
    public ulong? Address { get; init; }

    /// <summary>Uprobe perf-event links: the offset of the USDT semaphore (reference counter), 0 when none.</summary>
    public ulong? RefCounterOffset { get; init; }

    /// <summary>Kprobe and kprobe_multi links: how many times the program was not run (recursion).</summary>
    public ulong? Missed { get; init; }

    /// <summary>Perf-event links on a perf event: its PMU type (<c>perf_event_attr.type</c>; for cpu-clock and task-clock, 6.x kernels report the internal type of their own PMU instead of <see cref="PerfType.Software"/>).</summary>
    public PerfType? EventType { get; init; }

    /// <summary>Perf-event links on a perf event: its <c>perf_event_attr.config</c>.</summary>
    public ulong? EventConfig { get; init; }

    /// <summary>kprobe_multi: the probed addresses (zeros unless the reader may see kernel addresses).</summary>
    public IReadOnlyList<ulong>? Addresses { get; init; }

    /// <summary>uprobe_multi: the probed offsets in <see cref="Path"/>.</summary>
    public IReadOnlyList<ulong>? Offsets { get; init; }

    /// <summary>uprobe_multi: the USDT semaphore offset of each probe.</summary>
    public IReadOnlyList<ulong>? RefCounterOffsets { get; init; }

    /// <summary>kprobe_multi and uprobe_multi: the cookie of each probe.</summary>
    public IReadOnlyList<ulong>? Cookies { get; init; }

    /// <summary>kprobe_multi and uprobe_multi: 1 for return probes (<see cref="KprobeMultiFlags"/>, <see cref="UprobeMultiFlags"/>); netfilter: its flags (1 = IP defrag).</summary>
    public uint? Flags { get; init; }

    /// <summary>Netfilter links: the protocol family (<c>NFPROTO_IPV4</c> 2, <c>NFPROTO_IPV6</c> 10 …).</summary>
    public uint? ProtocolFamily { get; init; }

    /// <summary>Netfilter links: the hook (<c>NF_INET_PRE_ROUTING</c> 0 … <c>NF_INET_POST_ROUTING</c> 4).</summary>
    public uint? Hook { get; init; }

    /// <summary>Netfilter links: the priority among the hook's functions.</summary>
    public int? Priority { get; init; }
}
