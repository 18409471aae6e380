using System.Net.Sockets;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Interop.Netlink;
using BpfSharp.Programs;

namespace BpfSharp.Links.Network;

/// <summary>
/// Socket filters: a program of type socket_filter attached to one socket (SO_ATTACH_BPF) sees each packet the socket
/// is about to receive and returns how many bytes of it to keep — 0 drops it, less than its length truncates it
/// (for UDP and TCP the count starts at the transport header). Works on any socket: UDP, TCP, raw, packet.
/// </summary>
public static class SocketFilter
{
    /// <summary>Attaches <paramref name="program"/> to <paramref name="socket"/>, replacing any filter it had.</summary>
    public static SocketFilterAttachment Attach(BpfProgram program, Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return Attach(program, socket.SafeHandle);
    }

    /// <summary>Attaches to the socket behind <paramref name="socketHandle"/> (any SafeHandle of a socket fd).</summary>
    public static SocketFilterAttachment Attach(BpfProgram program, SafeHandle socketHandle)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(socketHandle);
        using (FdLease s = new(socketHandle)) SetAttach(program, s.Fd);
        return new SocketFilterAttachment(socketHandle, -1, program.ToString());
    }

    /// <summary>Attaches to a raw socket fd, which the caller keeps open for as long as the attachment is used.</summary>
    public static SocketFilterAttachment Attach(BpfProgram program, int socketFd)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentOutOfRangeException.ThrowIfNegative(socketFd);
        SetAttach(program, socketFd);
        return new SocketFilterAttachment(null, socketFd, program.ToString());
    }

    static unsafe void SetAttach(BpfProgram program, int socketFd)
    {
        using FdLease p = program.Fd.Lease();
        int fd = p.Fd;
        int r = SocketNative.SetSocketOption(socketFd, SocketNative.SOL_SOCKET, SocketNative.SO_ATTACH_BPF, &fd, sizeof(int));
        if (r < 0)
            throw new BpfSyscallException("setsockopt(SO_ATTACH_BPF)", -r, (Errno)(-r) switch
            {
                Errno.EINVAL => "the program is not of type socket_filter (SO_ATTACH_BPF takes only those).",
                Errno.ENOTSOCK => "the fd is not a socket.",
                Errno.EBADF => "the socket fd is not open.",
                Errno.EPERM => "the socket's filter is locked (SO_LOCK_FILTER).",
                _ => "see socket(7), SO_ATTACH_BPF.",
            }, $"attaching {program} to socket fd {socketFd}");
    }

    internal static unsafe int Detach(int socketFd)
    {
        int unused = 0;
        return SocketNative.SetSocketOption(socketFd, SocketNative.SOL_SOCKET, SocketNative.SO_DETACH_BPF, &unused, sizeof(int));
    }
}

/// <summary>
/// A socket filter attached by <see cref="SocketFilter"/>. <see cref="Detach"/> or disposing removes the socket's
/// filter (SO_DETACH_BPF); a socket that was closed meanwhile took its filter with it, and is left alone.
/// </summary>
public sealed class SocketFilterAttachment : IDisposable
{
    readonly SafeHandle? socket;
    readonly int rawFd;
    readonly string program;
    bool detached;

    internal SocketFilterAttachment(SafeHandle? socket, int rawFd, string program)
    {
        this.socket = socket;
        this.rawFd = rawFd;
        this.program = program;
    }

    /// <summary>Removes the filter. Returns false when there was nothing to remove (socket closed, or its filter already detached).</summary>
    public bool Detach()
    {
        if (detached) return false;
        detached = true;
        if (socket is null) return Check(SocketFilter.Detach(rawFd), rawFd);
        if (socket.IsClosed) return false;
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            int fd = (int)socket.DangerousGetHandle();
            return Check(SocketFilter.Detach(fd), fd);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
    }

    bool Check(int result, int fd)
    {
        if (result == 0) return true;
        if (result == -(int)Errno.ENOENT || result == -(int)Errno.EBADF) return false;
        throw new BpfSyscallException("setsockopt(SO_DETACH_BPF)", -result, "see socket(7), SO_DETACH_BPF.", $"detaching {program} from socket fd {fd}");
    }

    public void Dispose() => Detach();

    public override string ToString() => $"socket filter {program}";
}
