namespace BpfSharp.Links.Uprobes;

/// <summary>How a uprobe or uretprobe is attached (libbpf's <c>bpf_uprobe_opts</c>).</summary>
public sealed record UprobeOptions
{
    /// <summary>
    /// Only this process fires the probe (all its threads); null (the default) means every process that runs the
    /// binary, now or later. 0 is this process, as for perf_event_open.
    /// </summary>
    public int? Pid { get; init; }

    /// <summary>A uretprobe: the program runs when the function returns (its return value is in the return register, e.g. <c>rax</c>).</summary>
    public bool Retprobe { get; init; }

    /// <summary>The BPF cookie the program reads with <c>bpf_get_attach_cookie()</c>.</summary>
    public ulong Cookie { get; init; }

    /// <summary>
    /// File offset of a 16-bit reference counter (a USDT semaphore) the kernel increments in every traced process while
    /// the probe is attached and decrements after; 0 for none.
    /// </summary>
    public ulong RefCounterOffset { get; init; }
}
