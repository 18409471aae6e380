using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed unsafe partial class BpfLink
{
    /// <summary>
    /// Attaches <paramref name="program"/> (a tracepoint, kprobe, uprobe or perf_event program) to an open perf event and
    /// takes ownership of the event's fd: the link closes it after itself, and so does a failed attach. Uses BPF_LINK_CREATE
    /// with BPF_PERF_EVENT (so the link can be pinned and carries a <paramref name="cookie"/>); on kernels before 5.15, which
    /// lack perf links, falls back to PERF_EVENT_IOC_SET_BPF, where no cookie can be given.
    /// </summary>
    public static BpfLink PerfEvent(BpfProgram program, BpfFileDescriptor perfEvent, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(perfEvent);
        return AttachToPerfEvent(program, perfEvent, cookie, $"{program} on perf event fd {perfEvent.RawValue}", cleanup: null);
    }

    /// <summary>
    /// The common end of every perf-event based attach. Owns <paramref name="perfEvent"/> and <paramref name="cleanup"/>
    /// from the call on: on success the link closes them, on failure they are closed before the exception propagates.
    /// </summary>
    internal static BpfLink AttachToPerfEvent(BpfProgram program, BpfFileDescriptor perfEvent, ulong cookie, string what, Action? cleanup)
    {
        BpfLink? link = null;
        try
        {
            using FdLease p = program.Fd.Lease();
            int linkFd;
            using (FdLease e = perfEvent.Lease())
            {
                var attr = new LinkCreateAttr
                {
                    ProgFd = p.UFd,
                    TargetFd = e.UFd,
                    AttachType = (uint)BpfAttachType.PerfEvent,
                    PerfEventBpfCookie = cookie,
                };
                linkFd = BpfSyscall.Invoke(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr);
            }
            if (linkFd >= 0)
            {
                link = new BpfLink(new BpfFileDescriptor(linkFd, program.Fd.Syscalls), what, new PerfEventAttachment(perfEvent, cleanup, legacy: false));
            }
            else
            {
                // Kernels before 5.15 reject the unknown attach type with EINVAL: attach the old way when nothing needs a link.
                if (-linkFd != (int)Errno.EINVAL || cookie != 0)
                    throw new BpfSyscallException(BpfCommand.LinkCreate, -linkFd, $"attaching {what}");
                try
                {
                    PerfEventFile.SetBpf(perfEvent, program.Fd);
                }
                catch (BpfSyscallException)
                {
                    throw new BpfSyscallException(BpfCommand.LinkCreate, -linkFd, $"attaching {what}",
                        "PERF_EVENT_IOC_SET_BPF (the pre-5.15 way) was refused too.");
                }
                link = new BpfLink(perfEvent, what + " (PERF_EVENT_IOC_SET_BPF)", new PerfEventAttachment(null, cleanup, legacy: true));
            }
            PerfEventFile.Enable(perfEvent);
            return link;
        }
        catch
        {
            if (link != null)
            {
                link.Dispose();
            }
            else
            {
                perfEvent.Dispose();
                cleanup?.Invoke();
            }
            throw;
        }
    }

    /// <summary>An attachment made with PERF_EVENT_IOC_SET_BPF has no BPF link: its fd is the perf event's.</summary>
    bool IsLegacyPerfEvent => owned is PerfEventAttachment { Legacy: true };

    void ThrowIfNotBpfLink(string operation)
    {
        if (IsLegacyPerfEvent)
            throw new InvalidOperationException(
                $"cannot {operation} {this}: this kernel has no perf links (before 5.15), so the program was attached with PERF_EVENT_IOC_SET_BPF and there is no BPF link object.");
    }
}
