using BpfSharp.Abi;

namespace BpfSharp.Links;

/// <summary>
/// What the kernel reports about a link (BPF_OBJ_GET_INFO_BY_FD). The attach-specific members are set for the link
/// types that carry them, null otherwise: cgroup links (<see cref="CgroupId"/>, <see cref="AttachType"/>), raw
/// tracepoint links (<see cref="TracepointName"/>, <see cref="Cookie"/>), tracing, netns, XDP and tcx links, perf-event
/// links (tracepoint, kprobe, uprobe, perf event: <see cref="PerfEventKind"/> and what it names), iterator links
/// (<see cref="IteratorTarget"/> and its parameter) and kprobe.multi links.
/// </summary>
public sealed record LinkInfo(uint Id, BpfLinkType Type, uint ProgramId)
{
    /// <summary>The attach type, for cgroup, tracing, netns and tcx links.</summary>
    public BpfAttachType? AttachType { get; init; }

    /// <summary>The cgroup's id (its inode number in cgroupfs); 0 once the link is detached or the cgroup is gone.</summary>
    public ulong? CgroupId { get; init; }

    /// <summary>The raw tracepoint's name.</summary>
    public string? TracepointName { get; init; }

    /// <summary>The BPF cookie the program reads with <c>bpf_get_attach_cookie</c>.</summary>
    public ulong? Cookie { get; init; }

    /// <summary>The network interface, for XDP and tcx links.</summary>
    public uint? IfIndex { get; init; }

    /// <summary>The network namespace's inode number, for netns links (flow dissector, sk_lookup).</summary>
    public uint? NetnsInode { get; init; }

    /// <summary>For tracing links: the id of the BTF object (0: vmlinux) or program holding the target, and the target's BTF id.</summary>
    public uint? TargetObjectId { get; init; }

    /// <inheritdoc cref="TargetObjectId"/>
    public uint? TargetBtfId { get; init; }

    /// <summary>For perf-event links: what the perf event is (tracepoint, kprobe, kretprobe, uprobe, uretprobe, other event).</summary>
    public BpfPerfEventType? PerfEventKind { get; init; }

    /// <summary>The probed kernel function, for kprobe and kretprobe perf-event links.</summary>
    public string? FunctionName { get; init; }

    /// <summary>The probed file, for uprobe and uretprobe perf-event links.</summary>
    public string? FileName { get; init; }

    /// <summary>The probe's offset: into the function (kprobe) or the file (uprobe).</summary>
    public ulong? ProbeOffset { get; init; }

    /// <summary>The probed kernel address (kprobe; 0 unless the reader may see kernel addresses).</summary>
    public ulong? ProbeAddress { get; init; }

    /// <summary>How many times the probe was missed (kprobe, kprobe.multi: e.g. recursion).</summary>
    public ulong? MissedCount { get; init; }

    /// <summary>
    /// The perf event's type and config, for a perf-event link on a plain perf event (software clock …). The type is the
    /// number of the PMU that took the event: a <see cref="PerfType"/> value, or a dynamic PMU's own number (newer kernels
    /// hand PERF_COUNT_SW_CPU_CLOCK and TASK_CLOCK to their cpu_clock/task_clock PMUs and report those).
    /// </summary>
    public uint? EventType { get; init; }

    /// <inheritdoc cref="EventType"/>
    public ulong? EventConfig { get; init; }

    /// <summary>For kprobe.multi links: how many functions; whether they are return probes.</summary>
    public uint? ProbeCount { get; init; }

    /// <summary>True for kretprobe.multi links.</summary>
    public bool? IsReturnProbe { get; init; }

    /// <summary>For iterator links: what kind of object they walk (<c>task</c>, <c>bpf_map_elem</c> …).</summary>
    public string? IteratorTarget { get; init; }

    /// <summary>For map-element iterators: the map's id.</summary>
    public uint? MapId { get; init; }

    /// <summary>For task iterators limited to one process or thread: its id.</summary>
    public uint? ProcessId { get; init; }

    /// <inheritdoc cref="ProcessId"/>
    public uint? ThreadId { get; init; }

    /// <summary>For cgroup iterators: the walk order (the cgroup is <see cref="CgroupId"/>).</summary>
    public CgroupIterOrder? CgroupOrder { get; init; }
}
