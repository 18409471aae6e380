using System.Net;
using System.Net.Sockets;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Links.Network;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Network;

public class TcxTests
{
    const int Sent = 10;

    /// <summary>
    /// The packets a test sends through the hook: for ingress the peer sends to the host (which receives), for egress
    /// the host sends to the peer.
    /// </summary>
    sealed class Flow(TestNetwork net, TcDirection direction) : IDisposable
    {
        readonly Socket sender = direction == TcDirection.Ingress ? net.PeerUdp() : net.HostUdp();
        readonly Socket receiver = direction == TcDirection.Ingress ? net.HostUdp() : net.PeerUdp();

        public int Port => Traffic.Port(receiver);

        public void SendAndReceive(int count = Sent)
        {
            IPAddress to = direction == TcDirection.Ingress ? TestNetwork.HostAddress : TestNetwork.PeerAddress;
            Traffic.Send(sender, to, Port, count);
            Assert.Equal(count, Traffic.Receive(receiver, count).Count);
        }

        public void Dispose()
        {
            sender.Dispose();
            receiver.Dispose();
        }
    }

    [Theory]
    [InlineData(TcDirection.Ingress)]
    [InlineData(TcDirection.Egress)]
    public void ProgramsRunInTheOrderTheirPositionsSayAndQueryShowsIt(TcDirection direction)
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using var flow = new Flow(net, direction);
        using ArrayMap<ulong> marks = ArrayMap<ulong>.Create(NetPrograms.MarkSlots, "tcx_marks");
        using BpfProgram a = NetPrograms.TcxSequence(marks, flow.Port, 1);
        using BpfProgram b = NetPrograms.TcxSequence(marks, flow.Port, 2);
        using BpfProgram c = NetPrograms.TcxSequence(marks, flow.Port, 3);
        uint aId = a.GetInfo().Id, bId = b.GetInfo().Id, cId = c.GetInfo().Id;
        int ifIndex = net.HostIfIndex;

        using BpfLink linkA = net.InHost(() => Tcx.Attach(a, net.HostInterface, direction));
        using BpfLink linkB = net.InHost(() => Tcx.Attach(b, ifIndex, direction, TcxPosition.Before(linkA)));
        TcxChain chain = net.InHost(() => Tcx.Query(ifIndex, direction));
        Assert.Equal([bId, aId], chain.ProgramIds);
        Assert.Equal([linkB.GetInfo().Id, linkA.GetInfo().Id], chain.LinkIds);

        flow.SendAndReceive();
        Assert.Equal([(0x2, Sent), (0x21, Sent)], NonZero(marks));

        // By id, onto the revision just read; a second attempt on that (now stale) revision is refused.
        using BpfLink linkC = net.InHost(() => Tcx.Attach(c, ifIndex, direction, TcxPosition.AfterProgramId(bId), chain.Revision));
        var stale = Assert.Throws<BpfSyscallException>(() =>
            net.InHost(() => Tcx.Attach(a, ifIndex, direction, TcxPosition.First, chain.Revision)));
        Assert.Equal(Errno.ESTALE, stale.Errno);
        Assert.Contains("revision", stale.Message);
        TcxChain three = net.InHost(() => Tcx.Query(ifIndex, direction));
        Assert.Equal([bId, cId, aId], three.ProgramIds);
        Assert.True(three.Revision > chain.Revision);

        Clear(marks);
        flow.SendAndReceive();
        Assert.Equal([(0x2, Sent), (0x23, Sent), (0x231, Sent)], NonZero(marks));

        LinkInfo info = linkB.GetInfo();
        Assert.Equal(BpfLinkType.Tcx, info.Type);
        Assert.Equal((uint)ifIndex, info.IfIndex);
        Assert.Equal(Tcx.AttachType(direction), info.AttachType);

        // Detaching one link takes out that program only.
        linkB.Detach();
        Assert.Equal([cId, aId], net.InHost(() => Tcx.Query(ifIndex, direction)).ProgramIds);
        Clear(marks);
        flow.SendAndReceive();
        Assert.Equal([(0x3, Sent), (0x31, Sent)], NonZero(marks));

        linkC.Dispose();
        linkA.Dispose();
        Assert.Empty(net.InHost(() => Tcx.Query(ifIndex, direction)).Entries);
        Clear(marks);
        flow.SendAndReceive();
        Assert.Empty(NonZero(marks));
    }

    [Fact]
    public void AnIngressProgramDropsUdpToOnePortUntilDetached()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using Socket dropped = net.HostUdp(), kept = net.HostUdp(), sender = net.PeerUdp();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("tcx_drop");
        using BpfProgram program = NetPrograms.TcCounter(counts, Traffic.Port(dropped), NetPrograms.TcxNext, NetPrograms.TcxDrop);

        using (net.InHost(() => Tcx.Attach(program, net.HostIfIndex, TcDirection.Ingress)))
        {
            Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(dropped), Sent);
            Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(kept), Sent);
            Assert.Equal(Sent, Traffic.Receive(kept, Sent).Count);
            Assert.True(Traffic.NothingQueued(dropped), "datagrams to the dropped port arrived");
            Assert.Equal((ulong)(2 * Sent), counts[17]);
            Assert.Equal((ulong)Sent, counts[NetPrograms.Dropped]);
        }

        Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(dropped), Sent);
        Assert.Equal(Sent, Traffic.Receive(dropped, Sent).Count);
        Assert.Equal((ulong)(2 * Sent), counts[17]);
    }

    [Fact]
    public void BadPositionsAndDuplicatesAreRefusedWithTheReason()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("tcx_bad");
        using BpfProgram a = NetPrograms.TcCounter(counts, 0, NetPrograms.TcxNext, NetPrograms.TcxDrop, "tcx_a");
        using BpfProgram b = NetPrograms.TcCounter(counts, 0, NetPrograms.TcxNext, NetPrograms.TcxDrop, "tcx_b");
        using BpfProgram xdp = NetPrograms.XdpCounter(counts, 0);

        net.InHost(() =>
        {
            Assert.Empty(Tcx.Query(net.HostIfIndex, TcDirection.Egress).Entries);
            using BpfLink link = Tcx.Attach(a, net.HostIfIndex, TcDirection.Egress);

            var twice = Assert.Throws<BpfSyscallException>(() => Tcx.Attach(a, net.HostIfIndex, TcDirection.Egress));
            Assert.Equal(Errno.EEXIST, twice.Errno);

            var notInChain = Assert.Throws<BpfSyscallException>(() => Tcx.Attach(b, net.HostIfIndex, TcDirection.Egress, TcxPosition.Before(b)));
            Assert.Equal(Errno.ENOENT, notInChain.Errno);
            Assert.Contains("anchor", notInChain.Message);

            var wrongType = Assert.Throws<BpfSyscallException>(() => Tcx.Attach(xdp, net.HostIfIndex, TcDirection.Egress));
            Assert.Equal(Errno.EINVAL, wrongType.Errno);

            // Anchored by link id (BPF_F_ID | BPF_F_LINK).
            using (BpfLink before = Tcx.Attach(b, net.HostIfIndex, TcDirection.Egress, TcxPosition.BeforeLinkId(link.GetInfo().Id)))
                Assert.Equal([b.GetInfo().Id, a.GetInfo().Id], Tcx.Query(net.HostIfIndex, TcDirection.Egress).ProgramIds);
            Assert.Equal([a.GetInfo().Id], Tcx.Query(net.HostIfIndex, TcDirection.Egress).ProgramIds);

            // The other direction is a chain of its own.
            using BpfLink ingress = Tcx.Attach(a, net.HostIfIndex, TcDirection.Ingress);
            Assert.Single(Tcx.Query(net.HostIfIndex, TcDirection.Ingress).Entries);
            Assert.Single(Tcx.Query(net.HostIfIndex, TcDirection.Egress).Entries);
        });
    }

    static void Clear(ArrayMap<ulong> marks)
    {
        for (uint i = 0; i < NetPrograms.MarkSlots; i++) marks[i] = 0;
    }

    /// <summary>The non-zero counters as (mark, count) in mark order.</summary>
    static (int, int)[] NonZero(ArrayMap<ulong> marks)
    {
        var result = new List<(int, int)>();
        for (uint i = 0; i < NetPrograms.MarkSlots; i++)
            if (marks[i] != 0) result.Add(((int)i, (int)marks[i]));
        return [.. result];
    }
}
