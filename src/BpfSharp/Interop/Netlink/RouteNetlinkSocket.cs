using System.Runtime.InteropServices;
using BpfSharp.Abi;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;

namespace BpfSharp.Interop.Netlink;

/// <summary>Called for each reply message of a request (an echo, or one entry of a dump).</summary>
delegate void NetlinkReplyHandler(in NetlinkMessage reply);

/// <summary>
/// A NETLINK_ROUTE socket with extended acks on. It talks to the network namespace the calling thread was in when it
/// was opened — for good: handles that must undo something later (a filter, an XDP program) keep theirs, so the undo
/// reaches the same namespace whichever thread runs it.
/// </summary>
sealed unsafe class RouteNetlinkSocket : IDisposable
{
    static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    readonly BpfFileDescriptor fd;
    byte[] receiveBuffer = new byte[16 * 1024];
    uint sequence;

    RouteNetlinkSocket(BpfFileDescriptor fd) => this.fd = fd;

    public static RouteNetlinkSocket Open()
    {
        int s = SocketNative.Socket(AF_NETLINK, SocketNative.SOCK_RAW | SocketNative.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (s < 0) throw new BpfSyscallException("socket(AF_NETLINK, NETLINK_ROUTE)", -s, "the process may be out of file descriptors (ulimit -n).");
        var fd = new BpfFileDescriptor(s, LinuxSyscalls.Instance);
        try
        {
            int one = 1;
            // Extended acks carry the kernel's text for a refusal; capped acks leave out the echoed request.
            // Kernels older than 4.12 lack both: errors then come without the text, which is all we lose.
            SocketNative.SetSocketOption(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(int));
            SocketNative.SetSocketOption(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(int));
            long* timeout = stackalloc long[2] { (long)ReplyTimeout.TotalSeconds, 0 };
            Check(SocketNative.SetSocketOption(s, SocketNative.SOL_SOCKET, SocketNative.SO_RCVTIMEO, timeout, 2 * sizeof(long)), "setsockopt(SO_RCVTIMEO)");
            ushort* address = stackalloc ushort[6];
            new Span<ushort>(address, 6).Clear();
            address[0] = AF_NETLINK;
            Check(SocketNative.Bind(s, address, 12), "bind(AF_NETLINK)");
            return new RouteNetlinkSocket(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    public uint NextSequence() => ++sequence;

    /// <summary>
    /// Sends a request built with NLM_F_ACK and returns when the kernel acknowledges it, handing any replies that come
    /// first (an NLM_F_ECHO) to <paramref name="onReply"/>. A refusal throws <see cref="NetlinkException"/>.
    /// </summary>
    public void Request(ReadOnlySpan<byte> request, string requestName, string context, Func<Errno, string?>? hint = null,
        NetlinkReplyHandler? onReply = null) => Exchange(request, requestName, context, hint, onReply, dump: false);

    /// <summary>Sends an NLM_F_DUMP request and hands every entry to <paramref name="onEntry"/> until the dump is done.</summary>
    public void Dump(ReadOnlySpan<byte> request, string requestName, string context, NetlinkReplyHandler onEntry,
        Func<Errno, string?>? hint = null) => Exchange(request, requestName, context, hint, onEntry, dump: true);

    void Exchange(ReadOnlySpan<byte> request, string requestName, string context, Func<Errno, string?>? hint,
        NetlinkReplyHandler? onReply, bool dump)
    {
        uint seq = MemoryMarshal.Read<NetlinkMessageHeader>(request).Sequence;
        using FdLease lease = fd.Lease();
        long sent;
        do sent = SocketNative.Send(lease.Fd, request);
        while (sent == -(int)Errno.EINTR);
        if (sent < 0) throw new BpfSyscallException("send(netlink)", (int)-sent, "the netlink socket refused the request.", context);

        while (true)
        {
            int length = ReceiveDatagram(lease.Fd, context);
            foreach (NetlinkMessage message in new NetlinkMessageEnumerator(receiveBuffer.AsSpan(0, length)))
            {
                // A reply to an earlier request that gave up (timeout) is not ours.
                if (message.Header.Sequence != seq) continue;
                switch (message.Header.Type)
                {
                    case NLMSG_ERROR:
                    {
                        NetlinkAck ack = NetlinkAck.Parse(message);
                        if (ack.Errno != 0) throw ack.ToException(requestName, context, hint);
                        if (!dump) return;
                        break;
                    }
                    case NLMSG_DONE:
                    {
                        NetlinkAck done = NetlinkAck.ParseDone(message);
                        if (done.Errno != 0) throw done.ToException(requestName, context, hint);
                        return;
                    }
                    case NLMSG_NOOP:
                        break;
                    case NLMSG_OVERRUN:
                        throw new BpfSyscallException("recv(netlink)", (int)Errno.ENOBUFS, "the kernel dropped replies (overrun).", context);
                    default:
                        onReply?.Invoke(message);
                        break;
                }
            }
        }
    }

    /// <summary>Receives one datagram whole: peeks at its size first and grows the buffer when it would not fit.</summary>
    int ReceiveDatagram(int socket, string context)
    {
        while (true)
        {
            long size = SocketNative.Receive(socket, receiveBuffer, SocketNative.MSG_PEEK | SocketNative.MSG_TRUNC);
            if (size == -(int)Errno.EINTR) continue;
            if (size == -(int)Errno.EAGAIN)
                throw new BpfSyscallException("recv(netlink)", (int)Errno.EAGAIN,
                    $"the kernel did not answer the netlink request within {ReplyTimeout.TotalSeconds} s.", context);
            if (size < 0) throw new BpfSyscallException("recv(netlink)", (int)-size, "reading the kernel's netlink reply failed.", context);
            if (size > receiveBuffer.Length) receiveBuffer = new byte[Math.Max(size, 2 * receiveBuffer.Length)];
            long read = SocketNative.Receive(socket, receiveBuffer, 0);
            if (read == -(int)Errno.EINTR) continue;
            if (read < 0) throw new BpfSyscallException("recv(netlink)", (int)-read, "reading the kernel's netlink reply failed.", context);
            return (int)read;
        }
    }

    static void Check(int result, string call)
    {
        if (result < 0) throw new BpfSyscallException(call, -result, "setting up the netlink socket failed.");
    }

    public void Dispose() => fd.Dispose();
}
