using System.Buffers.Binary;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>Realistic test frames: Ethernet + IPv4 (no options) + UDP or TCP + payload, with valid checksums.</summary>
static class TestPackets
{
    public static readonly byte[] DstMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
    public static readonly byte[] SrcMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
    public static readonly byte[] SrcIp = [10, 0, 0, 1];
    public static readonly byte[] DstIp = [10, 0, 0, 2];
    public const ushort SrcPort = 40000;
    public const ushort UdpDstPort = 53;
    public const ushort TcpDstPort = 443;
    public const int PayloadLength = 64;
    public const byte Tcp = 6, Udp = 17;

    /// <summary>A 106-byte Ethernet/IPv4/UDP frame (10.0.0.1:40000 → 10.0.0.2:53, 64-byte payload).</summary>
    public static byte[] Udp4() => Frame(Udp, 8, UdpDstPort);

    /// <summary>A 118-byte Ethernet/IPv4/TCP frame (10.0.0.1:40000 → 10.0.0.2:443, ACK|PSH, 64-byte payload).</summary>
    public static byte[] Tcp4() => Frame(Tcp, 20, TcpDstPort);

    static byte[] Frame(byte protocol, int l4HeaderLength, ushort dstPort)
    {
        const int ethLength = 14, ipLength = 20;
        int l4Length = l4HeaderLength + PayloadLength;
        var frame = new byte[ethLength + ipLength + l4Length];
        Span<byte> eth = frame.AsSpan(0, ethLength), ip = frame.AsSpan(ethLength, ipLength), l4 = frame.AsSpan(ethLength + ipLength);

        DstMac.CopyTo(eth);
        SrcMac.CopyTo(eth[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(eth[12..], 0x0800);

        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ipLength + l4Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 0x1c46);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF
        ip[8] = 64;
        ip[9] = protocol;
        SrcIp.CopyTo(ip[12..]);
        DstIp.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip, 0));

        BinaryPrimitives.WriteUInt16BigEndian(l4, SrcPort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], dstPort);
        int checksumOffset;
        if (protocol == Udp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)l4Length);
            checksumOffset = 6;
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(l4[4..], 0x1000_0001); // seq
            BinaryPrimitives.WriteUInt32BigEndian(l4[8..], 0x2000_0001); // ack
            l4[12] = 5 << 4;                                             // data offset: 5 words
            l4[13] = 0x18;                                               // ACK | PSH
            BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 502);        // window
            checksumOffset = 16;
        }
        for (int i = 0; i < PayloadLength; i++) l4[l4HeaderLength + i] = (byte)(i * 7 + 3);

        uint pseudo = Sum(SrcIp) + Sum(DstIp) + protocol + (uint)l4Length;
        BinaryPrimitives.WriteUInt16BigEndian(l4[checksumOffset..], Checksum(l4, pseudo));
        return frame;
    }

    static uint Sum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < bytes.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (bytes.Length % 2 == 1) sum += (uint)bytes[^1] << 8;
        return sum;
    }

    static ushort Checksum(ReadOnlySpan<byte> bytes, uint initial)
    {
        uint sum = initial + Sum(bytes);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
