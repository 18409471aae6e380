using System.Runtime.CompilerServices;

namespace BpfSharp.Bench.Compiler;

// Header layouts, field for field those of c/packet.h. Multi-byte fields are in network byte order.

/// <summary>An Ethernet address (<c>struct mac_addr</c>).</summary>
[InlineArray(6)]
public struct MacAddress
{
    byte first;
}

/// <summary>An Ethernet header (<c>struct eth_hdr</c>, 14 bytes).</summary>
public struct EthHdr
{
    public MacAddress Dst;
    public MacAddress Src;
    public ushort Proto;
}

/// <summary>An IPv4 header without options (<c>struct ipv4_hdr</c>, 20 bytes).</summary>
public struct Ipv4Hdr
{
    public byte VersionIhl;
    public byte Tos;
    public ushort TotalLength;
    public ushort Id;
    public ushort FragmentOffset;
    public byte Ttl;
    public byte Protocol;
    public ushort Checksum;
    public uint SAddr;
    public uint DAddr;
}

/// <summary>The ports at the start of a TCP or UDP header (<c>struct l4_ports</c>).</summary>
public struct L4Ports
{
    public ushort SPort;
    public ushort DPort;
}

/// <summary>Protocol numbers (<c>ETH_P_IP</c>, <c>IPPROTO_*</c>).</summary>
public static class Protocols
{
    public const ushort EthPIp = 0x0800;
    public const byte Tcp = 6;
    public const byte Udp = 17;
}
