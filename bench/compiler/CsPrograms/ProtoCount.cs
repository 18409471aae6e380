using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace BpfSharp.Bench.Compiler;

/// <summary>1. XDP: count packets per IPv4 protocol in a per-CPU array (c/proto_count.bpf.c).</summary>
[BpfModule]
public static unsafe class ProtoCount
{
    [Map(MaxEntries = 256)] public static PerCpuArrayMap<ulong> ProtoCounts = null!;

    [Xdp]
    public static XdpAction CountProtocols(XdpMd* ctx)
    {
        byte* data = ctx->Data, end = ctx->DataEnd;

        var eth = (EthHdr*)data;
        if (data + sizeof(EthHdr) > end) return XdpAction.Pass;
        if (eth->Proto != BinaryPrimitives.ReverseEndianness(Protocols.EthPIp)) return XdpAction.Pass;

        var ip = (Ipv4Hdr*)(data + sizeof(EthHdr));
        if ((byte*)ip + sizeof(Ipv4Hdr) > end) return XdpAction.Pass;

        ref ulong count = ref ProtoCounts.Lookup(ip->Protocol);
        if (!Unsafe.IsNullRef(ref count)) count += 1;
        return XdpAction.Pass;
    }
}
