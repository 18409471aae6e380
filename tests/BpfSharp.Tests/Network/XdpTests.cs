using System.Net.Sockets;
using BpfSharp.Abi;
using BpfSharp.Interop.Netlink;
using BpfSharp.Links;
using BpfSharp.Links.Network;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Network;

public class XdpTests
{
    const int Sent = 20;

    [Theory]
    [InlineData(XdpMode.Native)]
    [InlineData(XdpMode.Generic)]
    public void ALinkCountsPacketsPerProtocolAndDropsUdpToOnePortUntilDisposed(XdpMode mode)
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using Socket dropped = net.HostUdp(), kept = net.HostUdp(), sender = net.PeerUdp();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("xdp_counts");
        using BpfProgram program = NetPrograms.XdpCounter(counts, Traffic.Port(dropped));

        using (BpfLink link = net.InHost(() => Xdp.Attach(program, net.HostInterface, mode)))
        {
            Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(dropped), Sent);
            Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(kept), Sent);
            net.PeerConnectToClosedHostPort(Traffic.Port(kept));

            Assert.Equal(Sent, Traffic.Receive(kept, Sent).Count);
            Assert.True(Traffic.NothingQueued(dropped), "datagrams to the dropped port arrived");
            Assert.Equal((ulong)(2 * Sent), counts[17]);
            Assert.Equal(1ul, counts[6]);
            Assert.Equal((ulong)Sent, counts[NetPrograms.Dropped]);

            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfLinkType.Xdp, info.Type);
            Assert.Equal((uint)net.HostIfIndex, info.IfIndex);
            Assert.Equal(program.GetInfo().Id, info.ProgramId);

            XdpStatus status = net.InHost(() => Xdp.Query(net.HostIfIndex));
            Assert.Equal(mode == XdpMode.Native ? XdpAttachedMode.Native : XdpAttachedMode.Generic, status.Mode);
            Assert.Equal(program.GetInfo().Id, status.ProgramId);
            Assert.Equal(program.GetInfo().Id, status.ProgramIdIn(mode));
        }

        Assert.Equal(XdpAttachedMode.None, net.InHost(() => Xdp.Query(net.HostIfIndex)).Mode);
        Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(dropped), Sent);
        Assert.Equal(Sent, Traffic.Receive(dropped, Sent).Count);
        Assert.Equal((ulong)(2 * Sent), counts[17]);
        Assert.Equal((ulong)Sent, counts[NetPrograms.Dropped]);
    }
}
