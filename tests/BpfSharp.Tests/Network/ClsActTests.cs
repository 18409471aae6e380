using System.Net;
using System.Net.Sockets;
using BpfSharp.Abi;
using BpfSharp.Interop.Netlink;
using BpfSharp.Links.Network;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Network;

public class ClsActTests
{
    const int Sent = 10;

    [Theory]
    [InlineData(TcDirection.Ingress)]
    [InlineData(TcDirection.Egress)]
    public void AFilterCountsAndDropsUntilDisposedAndListShowsIt(TcDirection direction)
    {
        Kernel.Require();
        using var net = new TestNetwork();
        bool ingress = direction == TcDirection.Ingress;
        using Socket sender = ingress ? net.PeerUdp() : net.HostUdp();
        using Socket dropped = ingress ? net.HostUdp() : net.PeerUdp(), kept = ingress ? net.HostUdp() : net.PeerUdp();
        IPAddress to = ingress ? TestNetwork.HostAddress : TestNetwork.PeerAddress;
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("cls_count");
        using BpfProgram program = NetPrograms.TcCounter(counts, Traffic.Port(dropped), NetPrograms.TcActOk, NetPrograms.TcActShot);
        uint programId = program.GetInfo().Id;

        using (TcFilter filter = net.InHost(() => ClsAct.Attach(program, net.HostInterface, direction)))
        {
            Traffic.Send(sender, to, Traffic.Port(dropped), Sent);
            Traffic.Send(sender, to, Traffic.Port(kept), Sent);
            Assert.Equal(Sent, Traffic.Receive(kept, Sent).Count);
            Assert.True(Traffic.NothingQueued(dropped), "datagrams to the dropped port arrived");
            Assert.Equal((ulong)(2 * Sent), counts[17]);
            Assert.Equal((ulong)Sent, counts[NetPrograms.Dropped]);

            Assert.True(net.InHost(() => ClsAct.HasQdisc(net.HostIfIndex)));
            TcFilterInfo listed = Assert.Single(filter.ListHookFilters()); // read through the handle's own namespace
            Assert.Equal(filter.Priority, listed.Priority);
            Assert.Equal(filter.Handle, listed.Handle);
            Assert.NotEqual(0, filter.Priority);
            Assert.NotEqual(0u, filter.Handle);
            Assert.Equal("bpf", listed.Kind);
            Assert.Equal(programId, listed.ProgramId);
            Assert.Equal($"tc_count:[{programId}]", listed.Name);
            Assert.True(listed.DirectAction);
            Assert.Equal(0x0003, listed.Protocol);
            Assert.Equal(program.GetInfo().Tag, Convert.ToHexStringLower([.. listed.Tag!]));
            TcDirection other = ingress ? TcDirection.Egress : TcDirection.Ingress;
            Assert.Empty(net.InHost(() => ClsAct.ListFilters(net.HostIfIndex, other)));
        }

        // Disposed on this thread: the delete still reaches the host namespace.
        Assert.Empty(net.InHost(() => ClsAct.ListFilters(net.HostIfIndex, direction)));
        Traffic.Send(sender, to, Traffic.Port(dropped), Sent);
        Assert.Equal(Sent, Traffic.Receive(dropped, Sent).Count);
        Assert.Equal((ulong)(2 * Sent), counts[17]);

        // The qdisc stays until deleted.
        net.InHost(() =>
        {
            Assert.True(ClsAct.HasQdisc(net.HostIfIndex));
            ClsAct.DeleteQdisc(net.HostIfIndex);
            Assert.False(ClsAct.HasQdisc(net.HostIfIndex));
        });
    }

    [Fact]
    public void FiltersRunInPriorityOrderAndUnspecGoesOnToTheNext()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using Socket sender = net.PeerUdp(), receiver = net.HostUdp();
        using ArrayMap<ulong> marks = ArrayMap<ulong>.Create(NetPrograms.MarkSlots, "cls_marks");
        // TcxSequence returns −1: TC_ACT_UNSPEC for cls_bpf, i.e. go on with the next filter.
        using BpfProgram one = NetPrograms.TcxSequence(marks, Traffic.Port(receiver), 1);
        using BpfProgram two = NetPrograms.TcxSequence(marks, Traffic.Port(receiver), 2);

        using TcFilter late = net.InHost(() => ClsAct.Attach(one, net.HostIfIndex, TcDirection.Ingress, new TcFilterOptions { Priority = 20 }));
        using TcFilter early = net.InHost(() => ClsAct.Attach(two, net.HostIfIndex, TcDirection.Ingress, new TcFilterOptions { Priority = 10 }));
        Assert.Equal([(ushort)10, (ushort)20], net.InHost(() => ClsAct.ListFilters(net.HostIfIndex, TcDirection.Ingress)).Select(f => f.Priority));

        Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(receiver), Sent);
        Assert.Equal(Sent, Traffic.Receive(receiver, Sent).Count);
        Assert.Equal((ulong)Sent, marks[0x2]);
        Assert.Equal((ulong)Sent, marks[0x21]);
        Assert.Equal(0ul, marks[0x1]);

        Assert.True(early.Detach());
        Assert.False(early.Detach());
        Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(receiver), Sent);
        Assert.Equal(Sent, Traffic.Receive(receiver, Sent).Count);
        Assert.Equal((ulong)Sent, marks[0x1]);
        Assert.Equal((ulong)Sent, marks[0x21]);
    }

    [Fact]
    public void ClashesReplaceAndAMissingQdiscAreReported()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("cls_bad");
        using BpfProgram a = NetPrograms.TcCounter(counts, 0, NetPrograms.TcActOk, NetPrograms.TcActShot, "cls_a");
        using BpfProgram b = NetPrograms.TcCounter(counts, 0, NetPrograms.TcActOk, NetPrograms.TcActShot, "cls_b");

        net.InHost(() =>
        {
            var noQdisc = Assert.Throws<NetlinkException>(() =>
                ClsAct.Attach(a, net.HostIfIndex, TcDirection.Egress, new TcFilterOptions { CreateQdisc = false }));
            Assert.Equal("RTM_NEWTFILTER", noQdisc.Request);
            Assert.Contains("qdisc", noQdisc.Message, StringComparison.OrdinalIgnoreCase);

            Assert.True(ClsAct.AddQdisc(net.HostIfIndex));
            Assert.False(ClsAct.AddQdisc(net.HostIfIndex));
            var at = new TcFilterOptions { Priority = 5, Handle = 7, Name = "mine" };
            using TcFilter first = ClsAct.Attach(a, net.HostIfIndex, TcDirection.Egress, at);
            Assert.Equal((ushort)5, first.Priority);
            Assert.Equal(7u, first.Handle);

            var clash = Assert.Throws<NetlinkException>(() => ClsAct.Attach(b, net.HostIfIndex, TcDirection.Egress, at));
            Assert.Equal(Errno.EEXIST, clash.Errno);
            Assert.Contains("Replace", clash.Message);

            using TcFilter second = ClsAct.Attach(b, net.HostIfIndex, TcDirection.Egress, at with { Replace = true });
            TcFilterInfo listed = Assert.Single(ClsAct.ListFilters(net.HostIfIndex, TcDirection.Egress));
            Assert.Equal(b.GetInfo().Id, listed.ProgramId);
            Assert.Equal("mine", listed.Name);

            // The replaced filter's handle must not delete its successor.
            Assert.False(first.Detach());
            Assert.Single(ClsAct.ListFilters(net.HostIfIndex, TcDirection.Egress));

            // Deleting the qdisc deletes its filters; the handle then has nothing left to do.
            ClsAct.DeleteQdisc(net.HostIfIndex);
            Assert.False(second.Detach());
            var gone = Assert.Throws<NetlinkException>(() => ClsAct.DeleteQdisc(net.HostIfIndex));
            Assert.Contains("no clsact qdisc", gone.Message);
        });
    }
}
