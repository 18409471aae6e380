namespace BpfSharp.Links.Uprobes;

/// <summary>How a uprobe_multi link is attached (libbpf's <c>bpf_uprobe_multi_opts</c>).</summary>
public sealed record UprobeMultiOptions
{
    /// <summary>Only this process (by process id, all its threads) fires the probes; null for every process. 0 is this process.</summary>
    public int? Pid { get; init; }

    /// <summary>Return probes on every function (BPF_F_UPROBE_MULTI_RETURN).</summary>
    public bool Retprobe { get; init; }

    /// <summary>One BPF cookie per probe, in the order of the symbols or offsets given; empty for none.</summary>
    public IReadOnlyList<ulong> Cookies { get; init; } = [];

    /// <summary>One reference-counter (USDT semaphore) file offset per probe, 0 for none; empty for none at all.</summary>
    public IReadOnlyList<ulong> RefCounterOffsets { get; init; } = [];
}
