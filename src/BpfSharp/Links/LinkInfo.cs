using BpfSharp.Abi;

namespace BpfSharp.Links;

/// <summary>
/// What the kernel reports about a link (BPF_OBJ_GET_INFO_BY_FD). The attach-specific members are set for the link
/// types that carry them, null otherwise: cgroup links (<see cref="CgroupId"/>, <see cref="AttachType"/>), raw
/// tracepoint links (<see cref="TracepointName"/>, <see cref="Cookie"/>), tracing, netns, XDP and tcx links.
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
}
