using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>
/// The context of socket filter, tc and cgroup_skb programs (<c>struct __sk_buff</c>), a view the kernel maps onto
/// its <c>sk_buff</c>. Which fields a program kind may read or write is the kernel's rule (the verifier reports
/// "invalid bpf_context access" otherwise); <see cref="Data"/>/<see cref="DataEnd"/> give direct packet access in
/// tc and cgroup_skb programs.
/// </summary>
[KernelStruct("__sk_buff"), StructLayout(LayoutKind.Sequential)]
public unsafe struct SkBuff
{
    /// <summary>Packet length.</summary>
    public uint Len;
    /// <summary><c>PACKET_HOST</c>, <c>PACKET_BROADCAST</c>, ….</summary>
    public uint PktType;
    /// <summary>The packet mark (writable in tc).</summary>
    public uint Mark;
    /// <summary>The transmit queue (writable in tc).</summary>
    public uint QueueMapping;
    /// <summary>The link-layer protocol in network byte order (e.g. 0x0008 for IPv4 read on little-endian).</summary>
    public uint Protocol;
    /// <summary>Whether a VLAN tag is present.</summary>
    public uint VlanPresent;
    /// <summary>The VLAN TCI.</summary>
    public uint VlanTci;
    /// <summary>The VLAN protocol.</summary>
    public uint VlanProto;
    /// <summary>The packet priority (writable in tc).</summary>
    public uint Priority;
    /// <summary>The interface the packet arrived on.</summary>
    public uint IngressIfindex;
    /// <summary>The interface the program runs on.</summary>
    public uint Ifindex;
    /// <summary>The tc index (writable in tc).</summary>
    public uint TcIndex;
    /// <summary>20 bytes of scratch space shared by programs on the same packet.</summary>
    public fixed uint Cb[5];
    /// <summary>The flow hash.</summary>
    public uint Hash;
    /// <summary>The tc class id (writable in tc).</summary>
    public uint TcClassid;

    readonly uint data;
    readonly uint dataEnd;

    /// <summary>The NAPI id.</summary>
    public uint NapiId;
    /// <summary>The socket's address family (cgroup and sk programs).</summary>
    public uint Family;
    /// <summary>Remote IPv4 address, network byte order.</summary>
    public uint RemoteIp4;
    /// <summary>Local IPv4 address, network byte order.</summary>
    public uint LocalIp4;
    /// <summary>Remote IPv6 address, network byte order.</summary>
    public fixed uint RemoteIp6[4];
    /// <summary>Local IPv6 address, network byte order.</summary>
    public fixed uint LocalIp6[4];
    /// <summary>Remote port, network byte order.</summary>
    public uint RemotePort;
    /// <summary>Local port, host byte order.</summary>
    public uint LocalPort;

    readonly uint dataMeta;

    /// <summary>Flow dissector keys (flow dissector programs only).</summary>
    public void* FlowKeys;
    /// <summary>Timestamp (writable in tc).</summary>
    public ulong Tstamp;
    /// <summary>Length on the wire.</summary>
    public uint WireLen;
    /// <summary>GSO segment count.</summary>
    public uint GsoSegs;
    /// <summary>The socket (<c>struct bpf_sock*</c>), or null.</summary>
    public BpfSock* Sk;
    /// <summary>GSO segment size.</summary>
    public uint GsoSize;
    /// <summary>How <see cref="Tstamp"/> is to be read (<c>BPF_SKB_TSTAMP_*</c>).</summary>
    public byte TstampType;
    /// <summary>Hardware timestamp.</summary>
    public ulong Hwtstamp;

    /// <summary>The first packet byte (tc, cgroup_skb; socket filters use <see cref="Helpers.SkbLoadBytes(SkBuff*, uint, void*, uint)"/>).</summary>
    public readonly byte* Data => (byte*)(nuint)data;
    /// <summary>One past the last directly accessible packet byte.</summary>
    public readonly byte* DataEnd => (byte*)(nuint)dataEnd;
    /// <summary>The start of the metadata area before <see cref="Data"/>.</summary>
    public readonly byte* DataMeta => (byte*)(nuint)dataMeta;
}

/// <summary>What a tc program does with the packet (<c>TC_ACT_*</c>).</summary>
public enum TcAction
{
    /// <summary><c>TC_ACT_UNSPEC</c>: the configured default.</summary>
    Unspec = -1,
    /// <summary><c>TC_ACT_OK</c>: let the packet through.</summary>
    Ok = 0,
    /// <summary><c>TC_ACT_RECLASSIFY</c>.</summary>
    Reclassify = 1,
    /// <summary><c>TC_ACT_SHOT</c>: drop.</summary>
    Shot = 2,
    /// <summary><c>TC_ACT_PIPE</c>: on to the next action.</summary>
    Pipe = 3,
    /// <summary><c>TC_ACT_STOLEN</c>: consumed.</summary>
    Stolen = 4,
    /// <summary><c>TC_ACT_QUEUED</c>.</summary>
    Queued = 5,
    /// <summary><c>TC_ACT_REPEAT</c>.</summary>
    Repeat = 6,
    /// <summary><c>TC_ACT_REDIRECT</c>: as set by <c>bpf_redirect</c>.</summary>
    Redirect = 7,
    /// <summary><c>TC_ACT_TRAP</c>.</summary>
    Trap = 8,
}
