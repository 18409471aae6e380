using System.Buffers.Binary;
using BpfSharp.Abi;
using BpfSharp.Interop.Netlink;
using Xunit;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;

namespace BpfSharp.Tests.Network;

/// <summary>The rtnetlink client's message building and parsing, on bytes only (no kernel).</summary>
public class NetlinkCodecTests
{
    [Fact]
    public void ARequestWithANestedAttributeIsLaidOutAndAlignedAsTheKernelReadsIt()
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new NetlinkMessageWriter(buffer, RtNetlinkProtocol.RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, 7);
        w.Reserve<InterfaceInfoMessage>().Index = 5;
        int nest = w.BeginNested(IfLinkProtocol.IFLA_XDP);
        w.AttributeS32(IfLinkProtocol.IFLA_XDP_FD, -1);
        w.AttributeU32(IfLinkProtocol.IFLA_XDP_FLAGS, 2);
        w.EndNested(nest);
        w.AttributeString(RtNetlinkProtocol.TCA_KIND, "bpf"); // 3 chars + NUL = 4: no padding; "x" below pads
        w.AttributeString(RtNetlinkProtocol.TCA_KIND, "x");
        byte[] message = w.Finish().ToArray();

        byte[] expected =
        [
            68, 0, 0, 0, 19, 0, 5, 0, 7, 0, 0, 0, 0, 0, 0, 0,          // nlmsghdr: len 68, RTM_SETLINK, REQUEST|ACK, seq 7
            0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,            // ifinfomsg: index 5
            20, 0, 43 | 0, 0x80,                                        // IFLA_XDP | NLA_F_NESTED, 4 + 8 + 8
            8, 0, 1, 0, 0xff, 0xff, 0xff, 0xff,                         // IFLA_XDP_FD = -1
            8, 0, 3, 0, 2, 0, 0, 0,                                     // IFLA_XDP_FLAGS = SKB_MODE
            8, 0, 1, 0, (byte)'b', (byte)'p', (byte)'f', 0,             // TCA_KIND "bpf"
            6, 0, 1, 0, (byte)'x', 0, 0, 0,                             // TCA_KIND "x", padded to 4
        ];
        Assert.Equal(expected, message);
    }

    [Fact]
    public void MessagesAndAttributesAreReadBackIncludingNesting()
    {
        byte[] datagram = new byte[256];
        int length = 0;
        for (uint seq = 1; seq <= 2; seq++)
        {
            var w = new NetlinkMessageWriter(datagram.AsSpan(length), RtNetlinkProtocol.RTM_NEWLINK, NLM_F_MULTI, seq);
            w.Reserve<InterfaceInfoMessage>().Index = (int)seq * 10;
            int nest = w.BeginNested(IfLinkProtocol.IFLA_XDP);
            w.Attribute(IfLinkProtocol.IFLA_XDP_ATTACHED, [IfLinkProtocol.XDP_ATTACHED_SKB]);
            w.AttributeU32(IfLinkProtocol.IFLA_XDP_PROG_ID, 40 + seq);
            w.EndNested(nest);
            w.AttributeString(IfLinkProtocol.IFLA_IFNAME, $"eth{seq}");
            length += Align(w.Finish().Length);
        }

        var seen = new List<(uint Seq, int Index, string Name, byte Mode, uint Id)>();
        foreach (NetlinkMessage m in new NetlinkMessageEnumerator(datagram.AsSpan(0, length)))
        {
            NetlinkAttributes attributes = m.AttributesAfter<InterfaceInfoMessage>();
            Assert.True(attributes.TryFind(IfLinkProtocol.IFLA_IFNAME, out NetlinkAttribute name));
            Assert.True(attributes.TryFind(IfLinkProtocol.IFLA_XDP, out NetlinkAttribute xdp));
            Assert.True(xdp.IsNested);
            Assert.True(xdp.Nested().TryFind(IfLinkProtocol.IFLA_XDP_ATTACHED, out NetlinkAttribute mode));
            Assert.True(xdp.Nested().TryFind(IfLinkProtocol.IFLA_XDP_PROG_ID, out NetlinkAttribute id));
            Assert.False(xdp.Nested().TryFind(IfLinkProtocol.IFLA_XDP_HW_PROG_ID, out _));
            seen.Add((m.Header.Sequence, m.Fixed<InterfaceInfoMessage>().Index, name.String(), mode.U8(), id.U32()));
        }
        Assert.Equal([(1u, 10, "eth1", (byte)2, 41u), (2u, 20, "eth2", (byte)2, 42u)], seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnErrorAckYieldsErrnoKernelTextAndOffsetWhetherOrNotTheRequestIsEchoed(bool capped)
    {
        // The request the error refers to: 36 bytes (header + ifinfomsg + one attribute).
        Span<byte> request = stackalloc byte[64];
        var r = new NetlinkMessageWriter(request, RtNetlinkProtocol.RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK, 9);
        r.Reserve<InterfaceInfoMessage>();
        r.AttributeU32(IfLinkProtocol.IFLA_XDP, 1);
        ReadOnlySpan<byte> original = r.Finish();

        Span<byte> buffer = stackalloc byte[256];
        ushort flags = (ushort)(NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0));
        var w = new NetlinkMessageWriter(buffer, NLMSG_ERROR, flags, 9);
        BinaryPrimitives.WriteInt32LittleEndian(w.ReserveBytes(4), -(int)Errno.EBUSY);
        original[..(capped ? 16 : original.Length)].CopyTo(w.ReserveBytes(capped ? 16 : original.Length));
        w.AttributeString(NLMSGERR_ATTR_MSG, "XDP program already attached");
        w.AttributeU32(NLMSGERR_ATTR_OFFS, 32);
        ReadOnlySpan<byte> datagram = w.Finish();

        var e = new NetlinkMessageEnumerator(datagram);
        Assert.True(e.MoveNext());
        NetlinkAck ack = NetlinkAck.Parse(e.Current);
        Assert.Equal(new NetlinkAck((int)Errno.EBUSY, "XDP program already attached", 32), ack);

        NetlinkException exception = ack.ToException("RTM_SETLINK", "attaching", null);
        Assert.Equal(Errno.EBUSY, exception.Errno);
        Assert.Equal("XDP program already attached", exception.KernelMessage);
        Assert.Contains("the kernel says \"XDP program already attached\" (attribute at byte 32 of the request)", exception.Message);
    }

    [Fact]
    public void AnAckWithoutExtendedAttributesIsJustTheErrno()
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkMessageWriter(buffer, NLMSG_ERROR, NLM_F_CAPPED, 1);
        w.ReserveBytes(4 + 16).Clear();
        var e = new NetlinkMessageEnumerator(w.Finish());
        Assert.True(e.MoveNext());
        Assert.Equal(new NetlinkAck(0, null, null), NetlinkAck.Parse(e.Current));
    }

    [Fact]
    public void MalformedInputIsAFormatErrorAndAFullBufferIsReported()
    {
        byte[] claimsTooMuch = [200, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Throws<BpfFormatException>(() =>
        {
            foreach (NetlinkMessage m in new NetlinkMessageEnumerator(claimsTooMuch)) { }
        });

        byte[] badAttribute = [2, 0, 1, 0];
        Assert.Throws<BpfFormatException>(() =>
        {
            foreach (NetlinkAttribute a in new NetlinkAttributes(badAttribute)) { }
        });

        byte[] shortValue = [5, 0, 1, 0, 7, 0, 0, 0];
        Assert.Throws<BpfFormatException>(() =>
        {
            var attributes = new NetlinkAttributes(shortValue);
            Assert.True(attributes.TryFind(1, out NetlinkAttribute a));
            a.U32();
        });

        Assert.Throws<InvalidOperationException>(() =>
        {
            Span<byte> small = stackalloc byte[24];
            var w = new NetlinkMessageWriter(small, 0, 0, 0);
            w.AttributeString(1, "does not fit");
        });
    }
}
