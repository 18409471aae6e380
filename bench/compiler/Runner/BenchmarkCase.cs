using System.Buffers.Binary;
using BpfSharp.Maps;
using BpfSharp.Objects;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>
/// One benchmark program in its two versions: the C file (bench/compiler/c) and the C# [BpfModule] class
/// (bench/compiler/CsPrograms), with the packet it runs on, the map state it starts from, and what one run must
/// leave behind (both versions must agree, and agree with the expectation).
/// </summary>
sealed record BenchmarkCase(
    string Title,
    string CSource,
    string CsModule,
    Func<byte[]> Packet,
    uint ExpectedReturn,
    Func<byte[], byte[]>? ExpectedPacketOut = null,
    Action<BpfObject>? Prepare = null,
    Func<BpfObject, string>? State = null,
    string? ExpectedState = null)
{
    /// <summary>The C object's file name (the source's with <c>.o</c>).</summary>
    public string CObject => Path.ChangeExtension(CSource, ".o");

    /// <summary>The five programs of issue 4, in its order.</summary>
    public static IReadOnlyList<BenchmarkCase> All { get; } =
    [
        new("XDP counter per IP protocol", "proto_count.bpf.c", "ProtoCount", TestPackets.Udp4, ExpectedReturn: 2,
            State: o => $"udp={PerCpuSum(TheMap(o), TestPackets.Udp)} tcp={PerCpuSum(TheMap(o), TestPackets.Tcp)}",
            ExpectedState: "udp=1 tcp=0"),
        new("socket filter, 5-tuple → hash map", "flow_count.bpf.c", "FlowCount", TestPackets.Tcp4, ExpectedReturn: 118 - 14,
            ExpectedPacketOut: EthernetZeroed,
            State: o => $"count={FlowCountOf(TheMap(o))}", ExpectedState: "count=1"),
        new("bounded loop over a map value", "array_sum.bpf.c", "ArraySum", TestPackets.Udp4, ExpectedReturn: 2,
            Prepare: o => FillSamples(TheMap(o)), State: o => $"total={SampleTotal(TheMap(o))}",
            ExpectedState: $"total={Enumerable.Range(0, SampleCount).Sum(SampleValue)}"),
        new("chain of 4 subprogram calls", "call_chain.bpf.c", "CallChain", TestPackets.Udp4,
            ExpectedReturn: CallChainOf((uint)TestPackets.Udp4().Length) % 3 == 0 ? 1u : 2u),
        new("packet rewrite (swap MACs and IPs)", "swap_addresses.bpf.c", "SwapAddresses", TestPackets.Udp4, ExpectedReturn: 3,
            ExpectedPacketOut: Swapped),
    ];

    // ---- what the programs compute, written again here as the expectation ----

    const int SampleCount = 64;
    static int SampleValue(int i) => i * 7 + 1;

    static uint CallChainOf(uint x)
    {
        static uint Level4(uint x) => (x ^ (x >> 16)) * 0x45d9f3bu;
        static uint Level3(uint x) => Level4(x + 0x9e3779b9u) * 5 + 1;
        static uint Level2(uint x) => Level3(x * 31 + 7) ^ (x >> 3);
        return Level2(x ^ 0x5bd1e995u) + x;
    }

    // A socket filter's test run starts at the IP header; the kernel hands the frame back with the Ethernet header zeroed.
    static byte[] EthernetZeroed(byte[] frame)
    {
        byte[] z = (byte[])frame.Clone();
        z.AsSpan(0, 14).Clear();
        return z;
    }

    static byte[] Swapped(byte[] frame)
    {
        byte[] s = (byte[])frame.Clone();
        frame.AsSpan(6, 6).CopyTo(s.AsSpan(0));
        frame.AsSpan(0, 6).CopyTo(s.AsSpan(6));
        frame.AsSpan(14 + 16, 4).CopyTo(s.AsSpan(14 + 12));
        frame.AsSpan(14 + 12, 4).CopyTo(s.AsSpan(14 + 16));
        return s;
    }

    // ---- map access; the programs' maps have different names in C and C# (proto_counts / ProtoCounts) ----

    static BpfMap TheMap(BpfObject o) => o.Maps.Where(m => !m.Key.StartsWith('.')).Select(m => m.Value).Single();

    static ulong PerCpuSum(BpfMap map, uint key)
    {
        Span<byte> value = stackalloc byte[(int)map.UserValueSize];
        if (!map.TryLookup(BitConverter.GetBytes(key), value)) return 0;
        ulong sum = 0;
        for (int i = 0; i + 8 <= value.Length; i += 8) sum += BinaryPrimitives.ReadUInt64LittleEndian(value[i..]);
        return sum;
    }

    static ulong FlowCountOf(BpfMap map)
    {
        // struct flow_key { be32 saddr, daddr; be16 sport, dport; u32 protocol; }
        Span<byte> key = stackalloc byte[16];
        TestPackets.SrcIp.CopyTo(key);
        TestPackets.DstIp.CopyTo(key[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(key[8..], TestPackets.SrcPort);
        BinaryPrimitives.WriteUInt16BigEndian(key[10..], TestPackets.TcpDstPort);
        BinaryPrimitives.WriteUInt32LittleEndian(key[12..], TestPackets.Tcp);
        Span<byte> value = stackalloc byte[8];
        return map.TryLookup(key, value) ? BinaryPrimitives.ReadUInt64LittleEndian(value) : 0;
    }

    static void FillSamples(BpfMap map)
    {
        // struct samples { u32 values[64]; u64 total; }
        var value = new byte[SampleCount * 4 + 8];
        for (int i = 0; i < SampleCount; i++) BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(i * 4), (uint)SampleValue(i));
        map.Update(BitConverter.GetBytes(0u), value);
    }

    static ulong SampleTotal(BpfMap map)
    {
        var value = new byte[map.UserValueSize];
        return map.TryLookup(BitConverter.GetBytes(0u), value) ? BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(SampleCount * 4)) : 0;
    }
}
