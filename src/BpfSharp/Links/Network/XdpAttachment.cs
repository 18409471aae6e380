using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Interop.Netlink;
using BpfSharp.Programs;

namespace BpfSharp.Links.Network;

/// <summary>
/// An XDP program attached by netlink (<see cref="Xdp.AttachByNetlink(BpfProgram, int, XdpNetlinkOptions?)"/>).
/// Unlike a link it survives its fds; <see cref="Detach"/> or disposing removes it — only while it is still the
/// attached program (XDP_FLAGS_REPLACE with the expected fd), so a program someone attached since is left alone. The
/// removal goes to the network namespace the attachment was made in, whichever thread disposes.
/// </summary>
public sealed class XdpAttachment : IDisposable
{
    readonly RouteNetlinkSocket socket;
    readonly ISyscalls syscalls;
    bool detached, socketClosed;

    internal XdpAttachment(RouteNetlinkSocket socket, int ifIndex, XdpMode mode, uint programId, ISyscalls syscalls)
    {
        this.socket = socket;
        this.syscalls = syscalls;
        IfIndex = ifIndex;
        Mode = mode;
        ProgramId = programId;
    }

    public int IfIndex { get; }
    public XdpMode Mode { get; }
    public uint ProgramId { get; }

    /// <summary>The interface's XDP state, read in the attachment's network namespace.</summary>
    public XdpStatus Query()
    {
        ObjectDisposedException.ThrowIf(socketClosed, this);
        return Xdp.Query(socket, IfIndex);
    }

    /// <summary>
    /// Removes the program if it is still the one attached. Throws <see cref="NetlinkException"/> with EEXIST when
    /// another program has replaced it (that one stays).
    /// </summary>
    public void Detach()
    {
        ObjectDisposedException.ThrowIf(socketClosed, this);
        if (detached) return;
        BpfProgram program;
        try { program = BpfProgram.FromId(ProgramId, syscalls); }
        catch (BpfSyscallException e) when (e.Errno == Errno.ENOENT)
        {
            detached = true; // the program no longer exists, so nothing holds it attached
            return;
        }
        using (program)
        using (FdLease expected = program.Fd.Lease())
            Xdp.SetLink(socket, IfIndex, -1, (XdpAttachFlags)Mode | XdpAttachFlags.Replace, expected.Fd, $"detaching XDP program {ProgramId} by netlink");
        detached = true;
    }

    /// <summary>Detaches (unless another program replaced this one, or the interface is gone) and closes the netlink socket.</summary>
    public void Dispose()
    {
        if (socketClosed) return;
        try { Detach(); }
        catch (NetlinkException e) when (e.Errno is Errno.EEXIST or Errno.ENODEV) { }
        finally
        {
            socket.Dispose();
            socketClosed = true;
        }
    }

    public override string ToString() => $"XDP program {ProgramId} ({Mode}) on interface {IfIndex}, attached by netlink";
}
