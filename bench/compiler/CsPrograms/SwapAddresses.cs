using System.Buffers.Binary;
using BpfSharp.Kernel;

namespace BpfSharp.Bench.Compiler;

/// <summary>5. XDP packet rewrite: swap the Ethernet and IPv4 source and destination addresses, send it back (c/swap_addresses.bpf.c).</summary>
[BpfModule]
public static unsafe class SwapAddresses
{
    [Xdp]
    public static XdpAction Swap(XdpMd* ctx)
    {
        byte* data = ctx->Data, end = ctx->DataEnd;

        var eth = (EthHdr*)data;
        if (data + sizeof(EthHdr) > end) return XdpAction.Pass;
        if (eth->Proto != BinaryPrimitives.ReverseEndianness(Protocols.EthPIp)) return XdpAction.Pass;

        var ip = (Ipv4Hdr*)(data + sizeof(EthHdr));
        if ((byte*)ip + sizeof(Ipv4Hdr) > end) return XdpAction.Pass;

        MacAddress mac = eth->Dst;
        eth->Dst = eth->Src;
        eth->Src = mac;

        uint addr = ip->SAddr;
        ip->SAddr = ip->DAddr;
        ip->DAddr = addr;
        return XdpAction.Tx;
    }
}
