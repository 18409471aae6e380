using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Interop.Netlink;
using BpfSharp.Programs;
using static BpfSharp.Interop.Netlink.IfLinkProtocol;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;
using static BpfSharp.Interop.Netlink.RtNetlinkProtocol;

namespace BpfSharp.Links.Network;

/// <summary>
/// Attaches XDP programs to network interfaces: by BPF link (<see cref="Attach(BpfProgram, int, XdpMode)"/>, since
/// Linux 5.9: detached when the link closes, cannot be replaced behind its back) or the legacy way by netlink
/// (<see cref="AttachByNetlink(BpfProgram, int, XdpNetlinkOptions?)"/>: stays until detached, replaceable). Interfaces
/// are resolved in the calling thread's network namespace.
/// </summary>
public static class Xdp
{
    /// <summary>Attaches <paramref name="program"/> (type XDP) to interface <paramref name="ifIndex"/> with a link (BPF_LINK_CREATE, BPF_XDP).</summary>
    public static BpfLink Attach(BpfProgram program, int ifIndex, XdpMode mode = XdpMode.Auto)
    {
        ArgumentNullException.ThrowIfNull(program);
        NetDevice.CheckIndex(ifIndex);
        CheckMode(mode);
        using FdLease p = program.Fd.Lease();
        var attr = new LinkCreateAttr
        {
            ProgFd = p.UFd,
            TargetIfindex = (uint)ifIndex,
            AttachType = (uint)BpfAttachType.Xdp,
            Flags = (uint)mode,
        };
        string what = $"{program} as XDP ({mode}) on interface {ifIndex}";
        int r = BpfSyscall.Invoke(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr);
        if (r < 0) throw new BpfSyscallException(BpfCommand.LinkCreate, -r, $"attaching {what}", LinkHint((Errno)(-r), ifIndex, mode));
        return BpfLink.FromCreatedFd(new BpfFileDescriptor(r, program.Fd.Syscalls), what);
    }

    /// <summary>Attaches to the interface called <paramref name="interfaceName"/>; see <see cref="Attach(BpfProgram, int, XdpMode)"/>.</summary>
    public static BpfLink Attach(BpfProgram program, string interfaceName, XdpMode mode = XdpMode.Auto) =>
        Attach(program, NetDevice.IndexOf(interfaceName), mode);

    /// <summary>
    /// Attaches <paramref name="program"/> the legacy way: RTM_SETLINK with IFLA_XDP. The program stays attached after
    /// every fd closes, until <see cref="XdpAttachment.Detach"/> (or dispose) or <see cref="DetachByNetlink"/>.
    /// Without options a program already attached in that mode by netlink is replaced.
    /// </summary>
    public static XdpAttachment AttachByNetlink(BpfProgram program, int ifIndex, XdpNetlinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        NetDevice.CheckIndex(ifIndex);
        options ??= new XdpNetlinkOptions();
        CheckMode(options.Mode);
        uint programId = program.GetInfo().Id;
        var socket = RouteNetlinkSocket.Open();
        try
        {
            var flags = (XdpAttachFlags)options.Mode;
            if (options.FailIfAttached) flags |= XdpAttachFlags.UpdateIfNoExist;
            using FdLease p = program.Fd.Lease();
            if (options.Replace is { } expected)
            {
                using FdLease old = expected.Fd.Lease();
                SetLink(socket, ifIndex, p.Fd, flags | XdpAttachFlags.Replace, old.Fd, $"attaching {program} by netlink in place of {expected}");
            }
            else SetLink(socket, ifIndex, p.Fd, flags, null, $"attaching {program} by netlink");
            return new XdpAttachment(socket, ifIndex, options.Mode, programId, program.Fd.Syscalls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Attaches by netlink to the interface called <paramref name="interfaceName"/>.</summary>
    public static XdpAttachment AttachByNetlink(BpfProgram program, string interfaceName, XdpNetlinkOptions? options = null) =>
        AttachByNetlink(program, NetDevice.IndexOf(interfaceName), options);

    /// <summary>
    /// Removes whatever program is attached by netlink in <paramref name="mode"/> (RTM_SETLINK, IFLA_XDP_FD −1). A
    /// program attached by a link cannot be removed this way (EBUSY): detach the link.
    /// </summary>
    public static void DetachByNetlink(int ifIndex, XdpMode mode = XdpMode.Auto)
    {
        NetDevice.CheckIndex(ifIndex);
        CheckMode(mode);
        using var socket = RouteNetlinkSocket.Open();
        SetLink(socket, ifIndex, -1, (XdpAttachFlags)mode, null, "detaching XDP by netlink");
    }

    /// <summary>Which XDP programs interface <paramref name="ifIndex"/> runs, in which modes (RTM_GETLINK, IFLA_XDP).</summary>
    public static XdpStatus Query(int ifIndex)
    {
        NetDevice.CheckIndex(ifIndex);
        using var socket = RouteNetlinkSocket.Open();
        return Query(socket, ifIndex);
    }

    /// <summary>Which XDP programs the interface called <paramref name="interfaceName"/> runs.</summary>
    public static XdpStatus Query(string interfaceName) => Query(NetDevice.IndexOf(interfaceName));

    internal static XdpStatus Query(RouteNetlinkSocket socket, int ifIndex)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkMessageWriter(buffer, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, socket.NextSequence());
        w.Reserve<InterfaceInfoMessage>().Index = ifIndex;
        XdpStatus status = new(XdpAttachedMode.None, 0, 0, 0, 0);
        socket.Request(w.Finish(), "RTM_GETLINK", $"querying XDP of interface {ifIndex}", onReply: (in NetlinkMessage reply) =>
        {
            if (reply.Header.Type != RTM_NEWLINK || reply.Fixed<InterfaceInfoMessage>().Index != ifIndex) return;
            if (reply.AttributesAfter<InterfaceInfoMessage>().TryFind(IFLA_XDP, out NetlinkAttribute xdp))
                status = ReadStatus(xdp.Nested());
        });
        return status;
    }

    static XdpStatus ReadStatus(NetlinkAttributes xdp)
    {
        XdpAttachedMode mode = XdpAttachedMode.None;
        uint id = 0, native = 0, generic = 0, offload = 0;
        foreach (NetlinkAttribute a in xdp)
        {
            switch (a.Type)
            {
                case IFLA_XDP_ATTACHED: mode = (XdpAttachedMode)a.U8(); break;
                case IFLA_XDP_PROG_ID: id = a.U32(); break;
                case IFLA_XDP_DRV_PROG_ID: native = a.U32(); break;
                case IFLA_XDP_SKB_PROG_ID: generic = a.U32(); break;
                case IFLA_XDP_HW_PROG_ID: offload = a.U32(); break;
            }
        }
        return new XdpStatus(mode, id, native, generic, offload);
    }

    internal static void SetLink(RouteNetlinkSocket socket, int ifIndex, int programFd, XdpAttachFlags flags, int? expectedFd, string context)
    {
        Span<byte> buffer = stackalloc byte[96];
        var w = new NetlinkMessageWriter(buffer, RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, socket.NextSequence());
        ref InterfaceInfoMessage info = ref w.Reserve<InterfaceInfoMessage>();
        info.Family = AF_UNSPEC;
        info.Index = ifIndex;
        int nest = w.BeginNested(IFLA_XDP);
        w.AttributeS32(IFLA_XDP_FD, programFd);
        if (flags != 0) w.AttributeU32(IFLA_XDP_FLAGS, (uint)flags);
        if (expectedFd is { } expected) w.AttributeS32(IFLA_XDP_EXPECTED_FD, expected);
        w.EndNested(nest);
        socket.Request(w.Finish(), "RTM_SETLINK", $"{context} on interface {ifIndex}", errno => NetlinkHint(errno, flags));
    }

    static void CheckMode(XdpMode mode)
    {
        if (mode is not (XdpMode.Auto or XdpMode.Generic or XdpMode.Native or XdpMode.Offload))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "one XDP mode: Auto, Generic, Native or Offload.");
    }

    static string? NetlinkHint(Errno errno, XdpAttachFlags flags) => errno switch
    {
        Errno.EBUSY when (flags & XdpAttachFlags.UpdateIfNoExist) != 0 =>
            "a program is already attached in this mode and FailIfAttached was set.",
        Errno.EBUSY => "the interface's XDP program in this mode is held by a BPF link: detach or update the link instead.",
        Errno.EEXIST when (flags & XdpAttachFlags.Replace) != 0 =>
            "the program attached now is not the one given to replace (someone else changed it), or a program runs in the other mode.",
        Errno.EEXIST => "a program is attached in the other mode: native and generic XDP cannot both be active on one interface.",
        Errno.EOPNOTSUPP => "the driver does not support this XDP mode (native or offload); generic mode works on every interface.",
        _ => null,
    };

    static string LinkHint(Errno errno, int ifIndex, XdpMode mode) => errno switch
    {
        Errno.EBUSY =>
            $"interface {ifIndex} already runs an XDP program in this mode: a link cannot replace a program attached by netlink " +
            "(Xdp.DetachByNetlink removes it) nor another link (detach or Update that link).",
        Errno.EEXIST => "a program runs in the other mode: native and generic XDP cannot both be active on one interface.",
        Errno.EOPNOTSUPP => $"the driver of interface {ifIndex} does not support {mode} XDP; XdpMode.Generic works on every interface.",
        Errno.EINVAL =>
            $"there is no interface {ifIndex} in this thread's network namespace (NetworkNamespace.Run enters another), " +
            "or the program is not of type XDP or was loaded for another device; the kernel states its reason only on the " +
            "tracepoint xdp:bpf_xdp_link_attach_failed.",
        _ => ErrnoHints(errno),
    };

    static string ErrnoHints(Errno errno) => errno == Errno.EPERM
        ? "attaching XDP needs CAP_NET_ADMIN (and CAP_BPF): run as root."
        : "see bpf(2), BPF_LINK_CREATE.";
}
