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

    [Fact]
    public void NetlinkAttachQueryReplaceAndDetach()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using Socket receiver = net.HostUdp(), sender = net.PeerUdp();
        using ArrayMap<ulong> first = NetPrograms.CounterMap("xdp_nl1"), second = NetPrograms.CounterMap("xdp_nl2");
        using BpfProgram one = NetPrograms.XdpCounter(first, 0), two = NetPrograms.XdpCounter(second, 0);
        uint oneId = one.GetInfo().Id, twoId = two.GetInfo().Id;
        var native = new XdpNetlinkOptions { Mode = XdpMode.Native };

        using XdpAttachment a = net.InHost(() => Xdp.AttachByNetlink(one, net.HostIfIndex, native));
        Assert.Equal(new XdpStatus(XdpAttachedMode.Native, oneId, oneId, 0, 0), a.Query());
        SendAndReceive(sender, receiver);
        Assert.Equal((ulong)Sent, first[17]);

        // UPDATE_IF_NOEXIST: refused, with the kernel's own words.
        var busy = Assert.Throws<NetlinkException>(() =>
            net.InHost(() => Xdp.AttachByNetlink(two, net.HostIfIndex, native with { FailIfAttached = true })));
        Assert.Equal(Errno.EBUSY, busy.Errno);
        Assert.Equal("RTM_SETLINK", busy.Request);
        Assert.False(string.IsNullOrEmpty(busy.KernelMessage));
        Assert.Contains(busy.KernelMessage!, busy.Message);

        // REPLACE with the expected program: an atomic swap.
        using XdpAttachment b = net.InHost(() => Xdp.AttachByNetlink(two, net.HostIfIndex, native with { Replace = one }));
        Assert.Equal(twoId, b.Query().NativeProgramId);
        SendAndReceive(sender, receiver);
        Assert.Equal((ulong)Sent, first[17]);
        Assert.Equal((ulong)Sent, second[17]);

        // REPLACE expecting a program that is no longer attached: refused.
        var stale = Assert.Throws<NetlinkException>(() =>
            net.InHost(() => Xdp.AttachByNetlink(two, net.HostIfIndex, native with { Replace = one })));
        Assert.Equal(Errno.EEXIST, stale.Errno);
        Assert.Contains("replace", stale.Message, StringComparison.OrdinalIgnoreCase);

        // The first attachment no longer owns the interface: detaching it must not remove the second program.
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(a.Detach).Errno);
        a.Dispose();
        Assert.Equal(twoId, net.InHost(() => Xdp.Query(net.HostIfIndex)).ProgramId);

        // Disposed on this thread (root namespace): the removal still goes to the host namespace.
        b.Dispose();
        Assert.Equal(new XdpStatus(XdpAttachedMode.None, 0, 0, 0, 0), net.InHost(() => Xdp.Query(net.HostIfIndex)));
        SendAndReceive(sender, receiver);
        Assert.Equal((ulong)Sent, second[17]);
    }

    [Fact]
    public void ByNetlinkWithoutOptionsReplacesAndDetachByNetlinkRemovesAnyProgram()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("xdp_nl3");
        using BpfProgram one = NetPrograms.XdpCounter(counts, 0), two = NetPrograms.XdpCounter(counts, 0);

        net.InHost(() =>
        {
            using XdpAttachment a = Xdp.AttachByNetlink(one, net.HostInterface, new XdpNetlinkOptions { Mode = XdpMode.Generic });
            using XdpAttachment b = Xdp.AttachByNetlink(two, net.HostInterface, new XdpNetlinkOptions { Mode = XdpMode.Generic });
            Assert.Equal(two.GetInfo().Id, Xdp.Query(net.HostInterface).GenericProgramId);
            Xdp.DetachByNetlink(net.HostIfIndex, XdpMode.Generic);
            Assert.Equal(XdpAttachedMode.None, Xdp.Query(net.HostIfIndex).Mode);
        });
    }

    [Fact]
    public void LinksAndNetlinkAttachmentsDoNotReplaceEachOther()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("xdp_mix");
        using BpfProgram one = NetPrograms.XdpCounter(counts, 0), two = NetPrograms.XdpCounter(counts, 0);

        net.InHost(() =>
        {
            using (Xdp.AttachByNetlink(one, net.HostIfIndex, new XdpNetlinkOptions { Mode = XdpMode.Native }))
            {
                var e = Assert.Throws<BpfSyscallException>(() => Xdp.Attach(two, net.HostIfIndex, XdpMode.Native));
                Assert.Equal(BpfCommand.LinkCreate, e.Command);
                Assert.Equal(Errno.EBUSY, e.Errno);
                Assert.Contains("DetachByNetlink", e.Message);
            }
            using (BpfLink link = Xdp.Attach(one, net.HostIfIndex, XdpMode.Native))
            {
                var e = Assert.Throws<NetlinkException>(() => Xdp.DetachByNetlink(net.HostIfIndex, XdpMode.Native));
                Assert.Equal(Errno.EBUSY, e.Errno);
                Assert.Contains("link", e.KernelMessage);

                // Native and generic cannot run side by side.
                var both = Assert.Throws<BpfSyscallException>(() => Xdp.Attach(two, net.HostIfIndex, XdpMode.Generic));
                Assert.Equal(Errno.EEXIST, both.Errno);

                link.Detach();
                Assert.Equal(XdpAttachedMode.None, Xdp.Query(net.HostIfIndex).Mode);
            }
        });
    }

    [Fact]
    public void ALinkSwapsItsProgramInPlace()
    {
        Kernel.Require();
        using var net = new TestNetwork();
        using Socket receiver = net.HostUdp(), sender = net.PeerUdp();
        using ArrayMap<ulong> first = NetPrograms.CounterMap("xdp_up1"), second = NetPrograms.CounterMap("xdp_up2");
        using BpfProgram one = NetPrograms.XdpCounter(first, 0), two = NetPrograms.XdpCounter(second, 0);

        using BpfLink link = net.InHost(() => Xdp.Attach(one, net.HostIfIndex, XdpMode.Generic));
        SendAndReceive(sender, receiver);
        link.Update(two, expectedOld: one);
        Assert.Equal(two.GetInfo().Id, net.InHost(() => Xdp.Query(net.HostIfIndex)).GenericProgramId);
        SendAndReceive(sender, receiver);
        Assert.Equal((ulong)Sent, first[17]);
        Assert.Equal((ulong)Sent, second[17]);

        var e = Assert.Throws<BpfSyscallException>(() => link.Update(one, expectedOld: one));
        Assert.Equal(Errno.EPERM, e.Errno);
    }

    [Fact]
    public void UnknownInterfacesAreReportedByNameAndIndex()
    {
        Kernel.Require();
        using ArrayMap<ulong> counts = NetPrograms.CounterMap("xdp_bad");
        using BpfProgram program = NetPrograms.XdpCounter(counts, 0);

        var byName = Assert.Throws<ArgumentException>(() => Xdp.Attach(program, "no_such_if0"));
        Assert.Contains("no_such_if0", byName.Message);
        Assert.Throws<ArgumentException>(() => Xdp.Attach(program, "a_name_far_too_long_for_linux"));

        var byIndex = Assert.Throws<BpfSyscallException>(() => Xdp.Attach(program, 0x7ffffff0));
        Assert.Equal(Errno.EINVAL, byIndex.Errno); // the kernel's answer for an unknown ifindex in BPF_LINK_CREATE
        Assert.Contains("namespace", byIndex.Message);
        var query = Assert.Throws<NetlinkException>(() => Xdp.Query(0x7ffffff0));
        Assert.Equal(Errno.ENODEV, query.Errno);
    }

    static void SendAndReceive(Socket sender, Socket receiver)
    {
        Traffic.Send(sender, TestNetwork.HostAddress, Traffic.Port(receiver), Sent);
        Assert.Equal(Sent, Traffic.Receive(receiver, Sent).Count);
    }
}
