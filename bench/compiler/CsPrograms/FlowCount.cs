using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Bench.Compiler;

/// <summary>The hash key of <see cref="FlowCount"/> (<c>struct flow_key</c>).</summary>
public struct FlowKey
{
    public uint SAddr;
    public uint DAddr;
    public ushort SPort;
    public ushort DPort;
    public uint Protocol;
}

/// <summary>
/// 2. Socket filter: count packets per TCP/UDP 5-tuple in a hash map (c/flow_count.bpf.c). A socket filter sees the
/// packet from the IP header and reads it with bpf_skb_load_bytes.
/// </summary>
[BpfModule]
public static unsafe class FlowCount
{
    [Map(MaxEntries = 4096)] public static HashMap<FlowKey, ulong> FlowCounts = null!;

    [SocketFilter]
    public static uint CountFlows(SkBuff* skb)
    {
        // Filled by the helper: no zeroing first, as in C (`struct ipv4_hdr ip;`).
        Unsafe.SkipInit(out Ipv4Hdr ip);
        if (Helpers.SkbLoadBytes(skb, 0, ref ip) < 0) return 0;
        if (ip.VersionIhl != 0x45) return skb->Len;
        if (ip.Protocol != Protocols.Tcp && ip.Protocol != Protocols.Udp) return skb->Len;

        Unsafe.SkipInit(out L4Ports ports);
        if (Helpers.SkbLoadBytes(skb, (uint)sizeof(Ipv4Hdr), ref ports) < 0) return skb->Len;

        var key = new FlowKey
        {
            SAddr = ip.SAddr,
            DAddr = ip.DAddr,
            SPort = ports.SPort,
            DPort = ports.DPort,
            Protocol = ip.Protocol,
        };
        ref ulong count = ref FlowCounts.Lookup(key);
        if (!Unsafe.IsNullRef(ref count)) Interlocked.Increment(ref count);
        else FlowCounts.Update(key, 1, MapUpdateFlags.NoExist);
        return skb->Len;
    }
}
