using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Objects;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>
/// The C programs in <c>RingBuffers/Fixtures</c>, compiled once per test process (<see cref="BpfC"/>) and loaded fresh for
/// each test (each load has its own maps, so tests running in parallel never share a ring).
/// </summary>
static class RingFixtures
{
    public const string Producers = "ring_producers";
    public const string UserRingConsumer = "user_ring_consumer";

    /// <summary>A socket-filter test run needs at least an Ethernet header of input.</summary>
    public static readonly byte[] Packet = new byte[64];

    /// <summary>Loads a fresh copy of fixture <paramref name="name"/>.</summary>
    public static BpfObject Load(string name)
    {
        Kernel.Require();
        return BpfObject.Load(BpfC.Compile($"Fixtures/{name}.bpf.c"));
    }

    /// <summary>Runs <paramref name="program"/> <paramref name="times"/> times in one BPF_PROG_TEST_RUN.</summary>
    public static void Run(BpfObject bpf, string program, uint times) =>
        bpf.Program(program).TestRun(new TestRunOptions { Data = Packet, Repeat = times });

    /// <summary>The producers' counters: next sequence number, committed, refused (ring full), discarded.</summary>
    public static (ulong Next, ulong Committed, ulong Dropped, ulong Discarded) Stats(BpfObject bpf)
    {
        var stats = bpf.Map<ArrayMap<ulong>>("stats");
        return (stats[0], stats[1], stats[2], stats[3]);
    }
}

/// <summary>The header every producer record starts with (struct record_header in ring_producers.bpf.c).</summary>
[StructLayout(LayoutKind.Sequential)]
struct RecordHeader
{
    public ulong Seq;
    public uint Size;
    public uint Check;
}

/// <summary>struct fixed_record: 40 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
struct FixedRecord
{
    public RecordHeader Header;
    public ulong W2, W3, W4;
}

/// <summary>The producers' record format, checked byte by byte.</summary>
static class Records
{
    const ulong Golden = 0x9E3779B97F4A7C15;

    public static uint Check(ulong seq, uint size) => unchecked((uint)(seq * 2654435761u)) ^ size;

    /// <summary>True when <paramref name="record"/> is a whole, uncorrupted producer record; its sequence number in <paramref name="seq"/>.</summary>
    public static bool Intact(ReadOnlySpan<byte> record, out ulong seq)
    {
        seq = ulong.MaxValue;
        if (record.Length < 16) return false;
        RecordHeader h = MemoryMarshal.Read<RecordHeader>(record);
        seq = h.Seq;
        if (h.Size != record.Length || h.Check != Check(h.Seq, h.Size)) return false;
        for (int i = 16; i < record.Length; i++)
        {
            ulong word = unchecked(h.Seq * Golden + (ulong)(i / 8));
            if (record[i] != (byte)(word >> (8 * (i % 8)))) return false;
        }
        return true;
    }

    /// <summary>The size output_varying gives record <paramref name="seq"/>.</summary>
    public static int VaryingSize(ulong seq) => 16 + (int)((seq * 37) & 255);
}
