using BpfSharp.Maps;

namespace BpfSharp.Links.Uprobes;

/// <summary>How the sites of a USDT probe are attached.</summary>
public enum UsdtAttachMode
{
    /// <summary>
    /// One uprobe_multi link for all sites when the program was loaded for it (expected attach type
    /// <c>TraceUprobeMulti</c>), otherwise one uprobe link per site.
    /// </summary>
    Auto,
    /// <summary>One uprobe perf-event link per site: works for any kprobe program on any kernel since 5.15.</summary>
    PerSite,
    /// <summary>One uprobe_multi link for all sites (Linux 6.6+, program loaded with expected attach type <c>TraceUprobeMulti</c>).</summary>
    UprobeMulti,
}

/// <summary>How a USDT probe is attached (libbpf's <c>bpf_usdt_opts</c>, plus the choices libbpf makes for you).</summary>
public sealed record UsdtOptions
{
    /// <summary>Only this process fires the probe; null for every process running the binary. 0 is this process.</summary>
    public int? Pid { get; init; }

    /// <summary>
    /// The user's cookie. With <see cref="Specs"/> it goes into each site's spec and the program reads it with
    /// <c>bpf_usdt_cookie(ctx)</c> (the BPF cookie itself then carries the spec id, as in libbpf). Without, it is the BPF
    /// cookie of every site, for <c>bpf_get_attach_cookie(ctx)</c>.
    /// </summary>
    public ulong Cookie { get; init; }

    /// <summary>
    /// The object's <c>__bpf_usdt_specs</c> map (<see cref="UsdtSpec.MapName"/>): given, each distinct argument layout
    /// gets a slot there and its id as BPF cookie, so <c>bpf_usdt_arg()</c>/<c>BPF_USDT()</c> of libbpf's
    /// <c>&lt;bpf/usdt.bpf.h&gt;</c> work. Null for programs that do not read arguments that way.
    /// </summary>
    public BpfMap? Specs { get; init; }

    /// <summary>Per-site uprobes or one uprobe_multi link.</summary>
    public UsdtAttachMode Mode { get; init; }
}
