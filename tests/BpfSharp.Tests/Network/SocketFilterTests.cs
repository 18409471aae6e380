using System.Net;
using System.Net.Sockets;
using BpfSharp.Links.Network;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Network;

public class SocketFilterTests
{
    /// <summary>A receiver and a sender on loopback (ports from the kernel, so parallel tests cannot collide).</summary>
    sealed class Loopback : IDisposable
    {
        public Socket Receiver { get; } = Bound();
        public Socket Sender { get; } = Bound();

        static Socket Bound()
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
            s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return s;
        }

        public void Send(int size) => Traffic.Send(Sender, IPAddress.Loopback, Traffic.Port(Receiver), 1, size);

        public int ReceiveOne() => Assert.Single(Traffic.Receive(Receiver, 1));

        public void Dispose()
        {
            Receiver.Dispose();
            Sender.Dispose();
        }
    }

    [Fact]
    public void AFilterTruncatesDatagramsUntilDetached()
    {
        Kernel.Require();
        using var net = new Loopback();
        using BpfProgram keepFour = NetPrograms.SocketFilterReturning(8 + 4); // the UDP header and 4 payload bytes

        using (SocketFilterAttachment filter = SocketFilter.Attach(keepFour, net.Receiver))
        {
            net.Send(100);
            Assert.Equal(4, net.ReceiveOne());
            net.Send(3);
            Assert.Equal(3, net.ReceiveOne());
        }

        net.Send(100);
        Assert.Equal(100, net.ReceiveOne());
    }

    [Fact]
    public void AFilterDropsChosenDatagramsAndReturningZeroDropsAll()
    {
        Kernel.Require();
        using var net = new Loopback();
        using BpfProgram dropThirteen = NetPrograms.SocketFilterDroppingLength(8 + 13);
        using BpfProgram dropAll = NetPrograms.SocketFilterReturning(0);

        using (SocketFilterAttachment filter = SocketFilter.Attach(dropThirteen, net.Receiver.Handle.ToInt32()))
        {
            net.Send(13);
            net.Send(20);
            Assert.Equal(20, net.ReceiveOne());
            Assert.True(Traffic.NothingQueued(net.Receiver), "the 13-byte datagram was not dropped");

            // Attaching again replaces the socket's filter.
            using SocketFilterAttachment all = SocketFilter.Attach(dropAll, net.Receiver);
            net.Send(20);
            Assert.True(Traffic.NothingQueued(net.Receiver), "a filter returning 0 let a datagram through");

            Assert.True(all.Detach());
            Assert.False(filter.Detach()); // the socket has no filter any more
        }

        net.Send(13);
        Assert.Equal(13, net.ReceiveOne());
    }

    [Fact]
    public void ClosingTheSocketFirstLeavesNothingToDetachAndWrongProgramsAreRefused()
    {
        Kernel.Require();
        using BpfProgram keep = NetPrograms.SocketFilterReturning(-1);
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("sf_bad");
        using BpfProgram xdp = NetPrograms.XdpCounter(counts, 0);

        var net = new Loopback();
        SocketFilterAttachment filter = SocketFilter.Attach(keep, net.Receiver);
        net.Dispose();
        Assert.False(filter.Detach());
        filter.Dispose();

        using var other = new Loopback();
        var e = Assert.Throws<BpfSyscallException>(() => SocketFilter.Attach(xdp, other.Receiver));
        Assert.Equal("setsockopt(SO_ATTACH_BPF)", e.Syscall);
        Assert.Equal(Abi.Errno.EINVAL, e.Errno);
        Assert.Contains("socket_filter", e.Message);
    }
}
