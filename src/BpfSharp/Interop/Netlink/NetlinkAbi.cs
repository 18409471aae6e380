using System.Runtime.InteropServices;

namespace BpfSharp.Interop.Netlink;

// The netlink, rtnetlink and tc constants BpfSharp uses, grouped by the UAPI header each comes from. They are kept
// here rather than generated into BpfSharp.Abi because most are members of the headers' anonymous enums (implicitly
// numbered) and all are private to this client; tests/BpfSharp.Tests/Network/NetlinkAbiTests compiles a C program
// against /usr/include that prints every one of them and compares.

/// <summary><c>linux/netlink.h</c> and <c>sys/socket.h</c>: the netlink socket, message header flags and types.</summary>
static class NetlinkProtocol
{
    public const int AF_NETLINK = 16;
    public const int NETLINK_ROUTE = 0;
    public const int SOL_NETLINK = 270;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_ECHO = 0x08;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    /// <summary>In an error message: the request was not copied back (NETLINK_CAP_ACK).</summary>
    public const ushort NLM_F_CAPPED = 0x100;
    /// <summary>In an error message: extended-ack attributes follow.</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    public const int NLMSG_ALIGNTO = 4;
    public const int NLA_ALIGNTO = 4;
    public const ushort NLA_F_NESTED = 1 << 15;
    public const ushort NLA_F_NET_BYTEORDER = 1 << 14;
    public const ushort NLA_TYPE_MASK = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

    // enum nlmsgerr_attrs
    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    public static int Align(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}

/// <summary><c>linux/rtnetlink.h</c>: message types and the tc message attributes.</summary>
static class RtNetlinkProtocol
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_SETLINK = 19;
    public const ushort RTM_NEWQDISC = 36;
    public const ushort RTM_DELQDISC = 37;
    public const ushort RTM_GETQDISC = 38;
    public const ushort RTM_NEWTFILTER = 44;
    public const ushort RTM_DELTFILTER = 45;
    public const ushort RTM_GETTFILTER = 46;

    // enum (anonymous) TCA_*
    public const ushort TCA_KIND = 1;
    public const ushort TCA_OPTIONS = 2;

    public const byte AF_UNSPEC = 0;
}

/// <summary><c>linux/if_link.h</c>: link attributes and the nested XDP attributes.</summary>
static class IfLinkProtocol
{
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_XDP = 43;

    // enum (anonymous) IFLA_XDP_*
    public const ushort IFLA_XDP_FD = 1;
    public const ushort IFLA_XDP_ATTACHED = 2;
    public const ushort IFLA_XDP_FLAGS = 3;
    public const ushort IFLA_XDP_PROG_ID = 4;
    public const ushort IFLA_XDP_DRV_PROG_ID = 5;
    public const ushort IFLA_XDP_SKB_PROG_ID = 6;
    public const ushort IFLA_XDP_HW_PROG_ID = 7;
    public const ushort IFLA_XDP_EXPECTED_FD = 8;

    // enum (anonymous) XDP_ATTACHED_*
    public const byte XDP_ATTACHED_NONE = 0;
    public const byte XDP_ATTACHED_DRV = 1;
    public const byte XDP_ATTACHED_SKB = 2;
    public const byte XDP_ATTACHED_HW = 3;
    public const byte XDP_ATTACHED_MULTI = 4;
}

/// <summary><c>linux/pkt_sched.h</c>: tc handles.</summary>
static class PktSchedProtocol
{
    public const uint TC_H_MAJ_MASK = 0xFFFF0000;
    public const uint TC_H_MIN_MASK = 0x0000FFFF;
    public const uint TC_H_CLSACT = 0xFFFFFFF1;   // = TC_H_INGRESS
    public const uint TC_H_MIN_INGRESS = 0xFFF2;
    public const uint TC_H_MIN_EGRESS = 0xFFF3;

    public static uint Make(uint major, uint minor) => (major & TC_H_MAJ_MASK) | (minor & TC_H_MIN_MASK);
}

/// <summary><c>linux/pkt_cls.h</c>: cls_bpf options.</summary>
static class PktClsProtocol
{
    // enum (anonymous) TCA_BPF_*
    public const ushort TCA_BPF_FD = 6;
    public const ushort TCA_BPF_NAME = 7;
    public const ushort TCA_BPF_FLAGS = 8;
    public const ushort TCA_BPF_TAG = 10;
    public const ushort TCA_BPF_ID = 11;

    public const uint TCA_BPF_FLAG_ACT_DIRECT = 1 << 0;
}

/// <summary><c>linux/if_ether.h</c>.</summary>
static class EtherProtocol
{
    public const ushort ETH_P_ALL = 0x0003;
}

/// <summary><c>struct nlmsghdr</c>, 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
struct NetlinkMessageHeader
{
    public uint Length;
    public ushort Type;
    public ushort Flags;
    public uint Sequence;
    public uint PortId;
}

/// <summary><c>struct nlattr</c>, 4 bytes; the value follows, padded to 4.</summary>
[StructLayout(LayoutKind.Sequential)]
struct NetlinkAttributeHeader
{
    public ushort Length;
    public ushort Type;
}

/// <summary><c>struct ifinfomsg</c> (<c>linux/rtnetlink.h</c>), 16 bytes: the fixed part of RTM_*LINK.</summary>
[StructLayout(LayoutKind.Sequential)]
struct InterfaceInfoMessage
{
    public byte Family;
    public byte Pad;
    public ushort DeviceType;
    public int Index;
    public uint Flags;
    public uint Change;
}

/// <summary><c>struct tcmsg</c> (<c>linux/rtnetlink.h</c>), 20 bytes: the fixed part of RTM_*QDISC/TFILTER.</summary>
[StructLayout(LayoutKind.Sequential)]
struct TrafficControlMessage
{
    public byte Family;
    public byte Pad1;
    public ushort Pad2;
    public int IfIndex;
    public uint Handle;
    public uint Parent;
    /// <summary>For filters: priority in the upper 16 bits, protocol (network byte order) in the lower.</summary>
    public uint Info;
}
