using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Uprobes;

/// <summary>The BPF_LINK_CREATE calls the uprobe attachments share, and the explanations of their usual refusals.</summary>
static unsafe class UprobeLinks
{
    /// <summary>Links <paramref name="program"/> to a uprobe perf event with a BPF cookie (BPF_PERF_EVENT). The link keeps the event alive.</summary>
    public static BpfLink CreatePerfEventLink(BpfProgram program, BpfFileDescriptor perfEvent, ulong cookie, string description)
    {
        using FdLease p = program.Fd.Lease();
        using FdLease e = perfEvent.Lease();
        var attr = new LinkCreateAttr
        {
            ProgFd = p.UFd,
            TargetFd = e.UFd,
            AttachType = (uint)BpfAttachType.PerfEvent,
            PerfEventBpfCookie = cookie,
        };
        return LinkCreation.Create(program.Fd.Syscalls, ref attr, description, errno => ExplainPerfEventRefusal(program, errno));
    }

    static string? ExplainPerfEventRefusal(BpfProgram program, Errno errno) => errno switch
    {
        Errno.EINVAL when program.Type != BpfProgramType.Kprobe =>
            $"{program} is a {program.Type} program; uprobes run kprobe programs (BPF_PROG_TYPE_KPROBE, sections uprobe/, uretprobe/, usdt/).",
        Errno.EINVAL =>
            "a program loaded with expected attach type BPF_TRACE_UPROBE_MULTI (section uprobe.multi/…) attaches only through a uprobe_multi link (UprobeMultiLink).",
        _ => null,
    };

    /// <summary>Creates a uprobe_multi link (BPF_TRACE_UPROBE_MULTI): one link, many offsets in one file.</summary>
    public static BpfLink CreateMultiLink(BpfProgram program, string path, ReadOnlySpan<ulong> offsets, ReadOnlySpan<ulong> refCounterOffsets,
        ReadOnlySpan<ulong> cookies, bool retprobe, int? pid, string description)
    {
        if (offsets.Length == 0) throw new ArgumentException("a uprobe_multi link needs at least one offset.", nameof(offsets));
        if (refCounterOffsets.Length is not 0 && refCounterOffsets.Length != offsets.Length)
            throw new ArgumentException($"{refCounterOffsets.Length} reference-counter offsets for {offsets.Length} probe offsets; give one per offset or none.", nameof(refCounterOffsets));
        if (cookies.Length is not 0 && cookies.Length != offsets.Length)
            throw new ArgumentException($"{cookies.Length} cookies for {offsets.Length} probe offsets; give one per offset or none.", nameof(cookies));
        using FdLease p = program.Fd.Lease();
        fixed (byte* pathBytes = BpfSyscall.NullTerminated(path))
        fixed (ulong* o = offsets)
        fixed (ulong* r = refCounterOffsets)
        fixed (ulong* c = cookies)
        {
            var attr = new LinkCreateAttr
            {
                ProgFd = p.UFd,
                AttachType = (uint)BpfAttachType.TraceUprobeMulti,
                UprobeMultiPath = (ulong)pathBytes,
                UprobeMultiOffsets = (ulong)o,
                UprobeMultiRefCtrOffsets = refCounterOffsets.Length == 0 ? 0 : (ulong)r,
                UprobeMultiCookies = cookies.Length == 0 ? 0 : (ulong)c,
                UprobeMultiCnt = (uint)offsets.Length,
                UprobeMultiFlags = (uint)(retprobe ? UprobeMultiFlags.Return : UprobeMultiFlags.None),
                UprobeMultiPid = (uint)(pid ?? 0),
            };
            return LinkCreation.Create(program.Fd.Syscalls, ref attr, description, errno => ExplainMultiRefusal(program, errno, pid));
        }
    }

    static string? ExplainMultiRefusal(BpfProgram program, Errno errno, int? pid) => errno switch
    {
        Errno.EINVAL when program.Type != BpfProgramType.Kprobe =>
            $"{program} is a {program.Type} program; uprobe_multi links run kprobe programs (BPF_PROG_TYPE_KPROBE).",
        Errno.EINVAL =>
            "uprobe_multi links need a program loaded with expected attach type BPF_TRACE_UPROBE_MULTI (section uprobe.multi/… or " +
            "ProgramLoadOptions.ExpectedAttachType = TraceUprobeMulti); a program from a plain uprobe/ section attaches with UprobeLink instead. " +
            "EINVAL also means an offset outside the file or an empty path.",
        Errno.ESRCH => $"no process {pid} (the pid filter names a process that does not exist).",
        Errno.EOPNOTSUPP => "this kernel has no uprobe_multi links (Linux 6.6+, CONFIG_UPROBES); attach one UprobeLink per offset instead.",
        _ => null,
    };
}
