using System.Globalization;
using BpfSharp.Abi;
using BpfSharp.Links.Uprobes;
using BpfSharp.Objects;
using BpfSharp.Programs;

namespace BpfSharp.Links;

/// <summary>
/// Attach by section name, following libbpf's auto-attach rules: a table from SEC convention (as
/// <see cref="SectionConventions"/> names them, e.g. <c>tracepoint+</c>) to the attach call that reads its target from the
/// section name. A convention that is not in the table (XDP, tc, cgroup, socket … which need a target the section does
/// not give) is not auto-attachable, nor is a section that names no target (a bare <c>SEC("kprobe")</c>).
/// </summary>
public static class SectionAttach
{
    /// <summary>Attaches a loaded program to what its section name says.</summary>
    public delegate BpfLink Attacher(BpfProgram program, ProgramDefinition definition);

    sealed record Row(string[] Conventions, Attacher Attach);

    /// <summary>The dispatch table. Each row: the SEC conventions it serves, and how they attach.</summary>
    static readonly Row[] Table =
    [
        new(["tracepoint+", "tp+", "tracepoint.s+", "tp.s+"], AttachTracepoint),
        new(["raw_tracepoint+", "raw_tp+", "raw_tracepoint.s+", "raw_tp.s+", "raw_tracepoint.w+", "raw_tp.w+"],
            (p, d) => BpfLink.RawTracepoint(p, d.AttachTarget!)),
        new(["tp_btf+", "tp_btf.s+", "fentry+", "fmod_ret+", "fexit+", "fentry.s+", "fmod_ret.s+", "fexit.s+", "freplace+", "lsm+", "lsm.s+"],
            (p, d) => BpfLink.Tracing(p)),
        new(["kprobe+"], (p, d) => AttachKprobe(p, d, isReturn: false)),
        new(["kretprobe+"], (p, d) => AttachKprobe(p, d, isReturn: true)),
        new(["kprobe.multi+"], (p, d) => BpfLink.KprobeMulti(p, d.AttachTarget!)),
        new(["kretprobe.multi+"], (p, d) => BpfLink.KprobeMulti(p, d.AttachTarget!, isReturn: true)),
        new(["kprobe.session+"], (p, d) => BpfLink.KprobeMulti(p, d.AttachTarget!, session: true)),
        new(["ksyscall+"], (p, d) => BpfLink.Ksyscall(p, d.AttachTarget!)),
        new(["kretsyscall+"], (p, d) => BpfLink.Ksyscall(p, d.AttachTarget!, isReturn: true)),
        new(["iter+", "iter.s+"], (p, d) => BpfLink.Iterator(p)),
        new(["uprobe+", "uretprobe+", "uprobe.s+", "uretprobe.s+"], (p, d) => UprobeLink.FromSection(p, d.SectionName)!),
        new(["uprobe.multi+", "uretprobe.multi+", "uprobe.multi.s+", "uretprobe.multi.s+"], (p, d) => UprobeMultiLink.FromSection(p, d.SectionName)!),
        // USDT needs the object's spec map and may make one link per call site: BpfObject.AttachAll attaches it.
        new(["usdt+", "usdt.s+"], (p, d) => throw new InvalidOperationException(
            $"program '{d.Name}': a USDT probe needs its object's '{UsdtSpec.MapName}' map; attach it with BpfObject.AttachAll or UsdtLink.Attach(bpfObject, …).")),
    ];

    /// <summary>True for the USDT conventions, which <see cref="BpfObject.AttachAll"/> attaches itself.</summary>
    public static bool IsUsdt(ProgramDefinition definition) => definition.Convention is "usdt+" or "usdt.s+";

    static readonly Dictionary<string, Attacher> ByConvention = Table
        .SelectMany(row => row.Conventions.Select(c => (Convention: c, row.Attach)))
        .ToDictionary(x => x.Convention, x => x.Attach, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="definition"/>'s section name says enough to attach it; when not, <paramref name="reason"/>
    /// says why and what to do instead.
    /// </summary>
    public static bool CanAttach(ProgramDefinition definition, out string reason)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Convention is not { } convention)
        {
            reason = "its section name matches no SEC convention, so nothing says where it attaches.";
            return false;
        }
        if (!ByConvention.ContainsKey(convention))
        {
            reason = NotAutoAttachable(definition);
            return false;
        }
        if (string.IsNullOrEmpty(definition.AttachTarget))
        {
            reason = $"its section '{definition.SectionName}' names no target (e.g. '{convention.TrimEnd('+')}/…'); attach it explicitly.";
            return false;
        }
        reason = "";
        return true;
    }

    /// <summary>Attaches <paramref name="program"/> as its section name says.</summary>
    /// <exception cref="InvalidOperationException">The section is not auto-attachable (see <see cref="CanAttach"/>).</exception>
    public static BpfLink Attach(BpfProgram program, ProgramDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!CanAttach(definition, out string reason))
            throw new InvalidOperationException($"program '{definition.Name}' (section '{definition.SectionName}') cannot be attached by its section name: {reason}");
        return ByConvention[definition.Convention!](program, definition);
    }

    static BpfLink AttachTracepoint(BpfProgram program, ProgramDefinition definition)
    {
        string target = definition.AttachTarget!;
        int slash = target.IndexOf('/');
        if (slash <= 0 || slash == target.Length - 1)
            throw new ArgumentException($"section '{definition.SectionName}' should name CATEGORY/NAME after its prefix (e.g. 'tracepoint/syscalls/sys_enter_openat').");
        return BpfLink.Tracepoint(program, target[..slash], target[(slash + 1)..]);
    }

    /// <summary><c>kprobe/FUNCTION</c> or <c>kprobe/FUNCTION+OFFSET</c> (offset decimal or 0x-hex), as libbpf reads it.</summary>
    static BpfLink AttachKprobe(BpfProgram program, ProgramDefinition definition, bool isReturn)
    {
        string target = definition.AttachTarget!;
        int plus = target.LastIndexOf('+');
        if (plus < 0) return BpfLink.Kprobe(program, target, 0, isReturn);
        string offsetText = target[(plus + 1)..];
        bool hex = offsetText.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (plus == 0 || !ulong.TryParse(hex ? offsetText[2..] : offsetText, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                CultureInfo.InvariantCulture, out ulong offset))
            throw new ArgumentException($"section '{definition.SectionName}' should be {(isReturn ? "kretprobe" : "kprobe")}/FUNCTION or kprobe/FUNCTION+OFFSET.");
        return BpfLink.Kprobe(program, target[..plus], offset, isReturn);
    }

    /// <summary>Why a kind of program needs more than its section name to attach.</summary>
    static string NotAutoAttachable(ProgramDefinition definition) => definition.Type switch
    {
        BpfProgramType.Xdp => "XDP programs attach to a network interface the section does not name.",
        BpfProgramType.SchedCls or BpfProgramType.SchedAct => "tc/tcx/netkit programs attach to a network interface the section does not name.",
        BpfProgramType.CgroupSkb or BpfProgramType.CgroupSock or BpfProgramType.CgroupSockAddr or BpfProgramType.CgroupSockopt
            or BpfProgramType.CgroupSysctl or BpfProgramType.CgroupDevice or BpfProgramType.SockOps =>
            "cgroup programs attach to a cgroup the section does not name (CgroupLink.Attach(program, cgroupPath, hook)).",
        BpfProgramType.Lsm => "lsm_cgroup programs attach to a cgroup the section does not name.",
        BpfProgramType.SocketFilter => "socket filters attach to a socket (SO_ATTACH_BPF).",
        BpfProgramType.SkSkb or BpfProgramType.SkMsg => "sk_skb/sk_msg programs attach to a sockmap or sockhash.",
        BpfProgramType.SkLookup or BpfProgramType.FlowDissector => "sk_lookup and flow dissector programs attach to a network namespace.",
        BpfProgramType.SkReuseport => "sk_reuseport programs attach to a SO_REUSEPORT socket group.",
        BpfProgramType.Netfilter => "netfilter programs need a protocol family, hook and priority the section does not give.",
        BpfProgramType.Syscall => "syscall programs are run with BPF_PROG_TEST_RUN, not attached.",
        BpfProgramType.StructOps => "struct_ops programs attach through their .struct_ops map.",
        BpfProgramType.PerfEvent => "perf_event programs need a perf event to sample (BpfLink.SoftwareEvent, BpfLink.PerfEvent); libbpf does not auto-attach them either.",
        BpfProgramType.LwtIn or BpfProgramType.LwtOut or BpfProgramType.LwtXmit or BpfProgramType.LwtSeg6local =>
            "lightweight tunnel programs attach to a route (ip route … encap bpf).",
        BpfProgramType.LircMode2 => "lirc_mode2 programs attach to a lirc device.",
        _ => $"sections of convention '{definition.Convention}' have no automatic attach in this version.",
    };
}
