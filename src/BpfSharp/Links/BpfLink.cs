using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

/// <summary>
/// A BPF link: an attachment of a program to a hook that lives as long as its fd (or a pin). Disposing closes the fd,
/// which detaches a link that is not pinned; <see cref="Detach"/> ends the attachment while keeping the fd.
/// A link made on a perf event (tracepoint, kprobe, perf_event) also owns that event's fd and closes it after the link.
/// </summary>
public sealed unsafe partial class BpfLink : IDisposable
{
    /// <summary>What the link keeps alive beyond its own fd (a perf event fd, a tracefs probe), closed after it.</summary>
    readonly IDisposable? owned;

    BpfLink(BpfFileDescriptor fd, string description, IDisposable? owned = null)
    {
        Fd = fd;
        Description = description;
        this.owned = owned;
    }

    /// <summary>Wraps a fresh link fd made elsewhere in the runtime (sockets, cgroups, struct_ops).</summary>
    internal static BpfLink Wrap(BpfFileDescriptor fd, string description) => new(fd, description);

    public BpfFileDescriptor Fd { get; }

    /// <summary>What was attached where, for messages.</summary>
    public string Description { get; }

    public string? PinnedPath { get; private set; }

    /// <summary>
    /// Attaches <paramref name="program"/> to a target given by fd (a cgroup directory from <see cref="Cgroup.Open"/>, a
    /// netns, a map …) via BPF_LINK_CREATE.
    /// </summary>
    public static BpfLink Create(BpfProgram program, BpfFileDescriptor target, BpfAttachType attachType,
        ProgramAttachFlags flags = ProgramAttachFlags.None)
    {
        ArgumentNullException.ThrowIfNull(target);
        using FdLease t = target.Lease();
        return Create(program, t.Fd, attachType, flags);
    }

    /// <summary>
    /// Attaches <paramref name="program"/> via BPF_LINK_CREATE to a raw target: an fd the caller keeps open for the
    /// duration of the call, or an interface index (XDP, tcx, netkit).
    /// </summary>
    public static BpfLink Create(BpfProgram program, int targetFdOrIfIndex, BpfAttachType attachType,
        ProgramAttachFlags flags = ProgramAttachFlags.None)
    {
        ArgumentNullException.ThrowIfNull(program);
        using FdLease p = program.Fd.Lease();
        var attr = new LinkCreateAttr
        {
            ProgFd = p.UFd,
            TargetFd = (uint)targetFdOrIfIndex,
            AttachType = (uint)attachType,
            Flags = (uint)flags,
        };
        string what = $"{program} at {attachType} of target {targetFdOrIfIndex}";
        return new BpfLink(BpfSyscall.InvokeForFd(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr, $"attaching {what}"), what);
    }

    /// <summary>Attaches a raw_tracepoint (or raw_tracepoint.w) program to a kernel tracepoint by name (BPF_RAW_TRACEPOINT_OPEN).</summary>
    public static BpfLink RawTracepoint(BpfProgram program, string tracepointName, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(tracepointName);
        using FdLease p = program.Fd.Lease();
        fixed (byte* name = BpfSyscall.NullTerminated(tracepointName))
        {
            var attr = new RawTracepointOpenAttr { Name = (ulong)name, ProgFd = p.UFd, Cookie = cookie };
            string what = $"{program} at raw tracepoint '{tracepointName}'";
            return new BpfLink(BpfSyscall.InvokeForFd(program.Fd.Syscalls, BpfCommand.RawTracepointOpen, ref attr, $"attaching {what}"), what);
        }
    }

    /// <summary>
    /// Swaps the link's program for <paramref name="newProgram"/> atomically (BPF_LINK_UPDATE). With
    /// <paramref name="expectedOld"/> the swap happens only if that program is still the attached one (BPF_F_REPLACE);
    /// otherwise the kernel fails with EPERM.
    /// </summary>
    public void Update(BpfProgram newProgram, BpfProgram? expectedOld = null)
    {
        ArgumentNullException.ThrowIfNull(newProgram);
        using FdLease link = Fd.Lease();
        using FdLease p = newProgram.Fd.Lease();
        var attr = new LinkUpdateAttr { LinkFd = link.UFd, NewProgFd = p.UFd };
        if (expectedOld is null)
        {
            BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.LinkUpdate, ref attr, $"updating link {Description} to {newProgram}");
            return;
        }
        using FdLease old = expectedOld.Fd.Lease();
        attr.Flags = (uint)ProgramAttachFlags.Replace;
        attr.OldProgFd = old.UFd;
        BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.LinkUpdate, ref attr,
            $"updating link {Description} from {expectedOld} to {newProgram}");
    }

    /// <summary>Ends the attachment now (BPF_LINK_DETACH), even if the link is pinned or its fd shared; the fd stays open, defunct.</summary>
    public void Detach()
    {
        using FdLease link = Fd.Lease();
        var attr = new LinkDetachAttr { LinkFd = link.UFd };
        BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.LinkDetach, ref attr, $"detaching link {Description}");
    }

    /// <summary>Reads the link's info, including the attach-specific parts this API knows how to read.</summary>
    public LinkInfo GetInfo()
    {
        ThrowIfNotBpfLink("read the link info of");
        var info = new BpfLinkInfo();
        BpfSyscall.GetInfo(Fd, ref info);
        var type = (BpfLinkType)info.Type;
        var result = new LinkInfo(info.Id, type, info.ProgId);
        switch (type)
        {
            case BpfLinkType.Cgroup:
                return result with { CgroupId = info.CgroupCgroupId, AttachType = (BpfAttachType)info.CgroupAttachType };
            case BpfLinkType.RawTracepoint:
                return result with { TracepointName = ReadTracepointName(info.RawTracepointTpNameLen), Cookie = info.RawTracepointCookie };
            case BpfLinkType.Tracing:
                return result with
                {
                    AttachType = (BpfAttachType)info.TracingAttachType, Cookie = info.TracingCookie,
                    TargetObjectId = info.TracingTargetObjId, TargetBtfId = info.TracingTargetBtfId,
                };
            case BpfLinkType.PerfEvent:
                return WithPerfEventInfo(result, info);
            case BpfLinkType.Iter:
                return WithIteratorInfo(result, info);
            case BpfLinkType.KprobeMulti:
                return result with
                {
                    ProbeCount = info.KprobeMultiCount,
                    IsReturnProbe = (info.KprobeMultiFlags & (uint)KprobeMultiFlags.Return) != 0, MissedCount = info.KprobeMultiMissed,
                };
            case BpfLinkType.Netns:
                return result with { NetnsInode = info.NetnsNetnsIno, AttachType = (BpfAttachType)info.NetnsAttachType };
            case BpfLinkType.Xdp:
                return result with { IfIndex = info.XdpIfindex };
            case BpfLinkType.Tcx:
                return result with { IfIndex = info.TcxIfindex, AttachType = (BpfAttachType)info.TcxAttachType };
            default:
                return result;
        }
    }

    string ReadTracepointName(uint length)
    {
        if (length == 0) return "";
        byte[] buffer = new byte[length];
        fixed (byte* b = buffer)
        {
            var second = new BpfLinkInfo { RawTracepointTpName = (ulong)b, RawTracepointTpNameLen = length };
            BpfSyscall.GetInfo(Fd, ref second);
            return BpfSyscall.ReadObjectName(b, buffer.Length);
        }
    }

    /// <summary>Pins the link at a bpffs path: the attachment then outlives this process until unpinned.</summary>
    public void Pin(string path)
    {
        ThrowIfNotBpfLink("pin");
        BpfSyscall.Pin(Fd, path);
        PinnedPath = path;
    }

    /// <summary>Removes the pin this handle made (or opened); the attachment then lives as long as open fds.</summary>
    public void Unpin()
    {
        if (PinnedPath is null) throw new InvalidOperationException($"link {Description} is not pinned by this handle.");
        File.Delete(PinnedPath);
        PinnedPath = null;
    }

    public static BpfLink OpenPinned(string path, ISyscalls? syscalls = null) =>
        new(BpfSyscall.OpenPinned(syscalls ?? LinuxSyscalls.Instance, path), $"pinned at '{path}'") { PinnedPath = path };

    /// <summary>Opens a link by its id (BPF_LINK_GET_FD_BY_ID).</summary>
    public static BpfLink FromId(uint id, ISyscalls? syscalls = null) =>
        new(BpfSyscall.OpenById(syscalls ?? LinuxSyscalls.Instance, BpfCommand.LinkGetFdById, id), $"id {id}");

    /// <summary>The ids of every link in the kernel (BPF_LINK_GET_NEXT_ID).</summary>
    public static IReadOnlyList<uint> EnumerateIds(ISyscalls? syscalls = null) =>
        BpfSyscall.EnumerateIds(syscalls ?? LinuxSyscalls.Instance, BpfCommand.LinkGetNextId);

    /// <summary>Closes the fd: a link that is neither pinned nor open elsewhere is detached.</summary>
    public void Dispose()
    {
        Fd.Dispose();
        owned?.Dispose();
    }

    public override string ToString() => $"link {Description}";
}
