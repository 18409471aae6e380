using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Maps.PerfBuffers;
using BpfSharp.Objects;
using BpfSharp.Programs;

namespace BpfSharp.Benchmarks.PerfBuf;

/// <summary>
/// BpfSharp's side of bench/events/perfbuf, step for step what perfbuf_bench.c does with libbpf: the same object,
/// 256 pages per CPU, a wakeup watermark of half a ring, fills of one BPF_PROG_TEST_RUN on CPU (argument 3, default 0; run pinned
/// to it, see perfbuf_bench.c for why) that the ring holds without
/// loss, timed Consume until the fill is drained, median of 11 rounds of 16 × SCALE fills. The handler
/// reads each record's sequence number into a checksum. Measured twice: with a struct handler (no delegate) and with
/// a delegate; managed bytes allocated on the consuming thread are counted around the consume calls.
/// </summary>
static class ConsumeBench
{
    const int Pages = 256;
    const int Rounds = 11;
    const int FillsPerRound = 16;
    static readonly int[] Sizes = [16, 64, 256, 1024, 4096];
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    struct Checksum : IPerfSampleHandler
    {
        public ulong Records;
        public ulong Sum;

        public void OnSample(int cpu, ReadOnlySpan<byte> data)
        {
            Records++;
            Sum += MemoryMarshal.Read<ulong>(data);
        }
    }

    sealed class DelegateState
    {
        public ulong Records;
        public ulong Sum;
    }

    static BpfProgram producer = null!;
    static int producerCpu;
    static ulong lost;

    public static int Run(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: PerfBufBench OBJECT [SCALE [CPU]] | --live OBJECT | --compare ...");
            return 2;
        }
        double scale = args.Length > 1 ? double.Parse(args[1], Inv) : 1.0;
        producerCpu = args.Length > 2 ? int.Parse(args[2], Inv) : 0;
        using BpfObject bpf = BpfObject.Load(args[0]);
        producer = bpf.Program("produce");
        uint watermark = (uint)(Pages * Environment.SystemPageSize / 2);
        using var reader = new PerfBufferReader(bpf.Map("events"), new PerfBufferOptions
        {
            PagesPerCpu = Pages, WakeupWatermark = watermark, LostHandler = (_, n) => lost += n,
        });

        Console.WriteLine($"# PerfBufBench: BpfSharp, {Pages} pages per CPU, producer on CPU {producerCpu}, wakeup watermark {watermark} bytes, {RuntimeInformation.FrameworkDescription}");
        var checksum = new Checksum();
        var state = new DelegateState();
        PerfSampleHandler handler = (_, data) =>
        {
            state.Records++;
            state.Sum += MemoryMarshal.Read<ulong>(data);
        };
        foreach (int size in Sizes)
        {
            int footprint = 8 + (size + 4 + 7) / 8 * 8; // header + u32 size + data padded to 8
            int perFill = (int)((Pages * (long)Environment.SystemPageSize - 1) / footprint);

            Measure($"perfbuf_consume_{size}", size, perFill, scale, () => checksum.Records, () => reader.Consume(ref checksum));
            Measure($"perfbuf_consume_{size}_delegate", size, perFill, scale, () => state.Records, () => reader.Consume(handler));
        }
        if (lost != 0) Console.Error.WriteLine($"PerfBufBench: {lost} records were lost: a fill did not fit the ring");
        Console.WriteLine($"# checksum {checksum.Sum + state.Sum}");
        return lost == 0 ? 0 : 1;
    }

    /// <summary>
    /// What wakeups cost end to end: a producer thread fills CPU 0's ring (200 test runs of 1000 64-byte records)
    /// while this thread polls, once with a wakeup after every sample and once with a watermark of a quarter of the
    /// ring. Reports records per second of wall time, records lost, and how many Poll calls returned records.
    /// </summary>
    public static int Live(string[] args)
    {
        using BpfObject bpf = BpfObject.Load(args[0]);
        producer = bpf.Program("produce");
        const int size = 64, perFill = 1000, fills = 200;
        foreach ((string name, PerfBufferOptions options) in new[]
        {
            ("live_wakeup_every_sample", new PerfBufferOptions { PagesPerCpu = Pages }),
            ("live_wakeup_watermark_quarter", new PerfBufferOptions { PagesPerCpu = Pages, WakeupWatermark = (uint)(Pages * Environment.SystemPageSize / 4) }),
        })
        {
            ulong dropped = 0;
            using var reader = new PerfBufferReader(bpf.Map("events"), options with { LostHandler = (_, n) => dropped += n });
            var sink = new Checksum();
            int polls = 0;
            var thread = new Thread(() =>
            {
                for (int f = 0; f < fills; f++) Fill(perFill, size);
            });
            long t0 = Stopwatch.GetTimestamp();
            thread.Start();
            while (thread.IsAlive)
                if (reader.Poll(ref sink, TimeSpan.FromMilliseconds(10)) > 0) polls++;
            thread.Join();
            reader.Consume(ref sink);
            Fill(1, size); // reports any loss still pending
            reader.Consume(ref sink);
            double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Console.WriteLine(string.Create(Inv,
                $"op={name} events_per_s={sink.Records / seconds:0} records={sink.Records} lost={dropped} polls_with_records={polls} seconds={seconds:0.000}"));
        }
        return 0;
    }

    static void Measure(string op, int size, int perFill, double scale, Func<ulong> records, Func<int> consume)
    {
        int fills = Math.Max(1, (int)(FillsPerRound * scale));
        Round(size, perFill, fills, records, consume, out _, out _); // warm-up: JIT tiers, first-call paths
        var ns = new double[Rounds];
        ulong total = 0;
        long allocated = 0;
        for (int r = 0; r < Rounds; r++)
        {
            ns[r] = Round(size, perFill, fills, records, consume, out ulong n, out long bytes);
            total += n;
            allocated += bytes;
        }
        Array.Sort(ns);
        double median = ns[Rounds / 2];
        Console.WriteLine(string.Create(Inv,
            $"op={op} ns_per_record={median:0.000} events_per_s={1e9 / median:0} best_events_per_s={1e9 / ns[0]:0} records={total} lost={lost} " +
            $"bytes_per_record={(double)allocated / total:0.####}"));
    }

    /// <summary>Fills and drains <paramref name="fills"/> times; returns the consume time per record.</summary>
    static double Round(int size, int perFill, int fills, Func<ulong> records, Func<int> consume, out ulong consumed, out long allocated)
    {
        long spent = 0;
        allocated = 0;
        ulong before = records();
        for (int f = 0; f < fills; f++)
        {
            ulong expected = records() + (ulong)perFill;
            Fill(perFill, size);
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            while (records() < expected) consume();
            spent += (long)Stopwatch.GetElapsedTime(t0).TotalNanoseconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
        }
        consumed = records() - before;
        return (double)spent / consumed;
    }

    static void Fill(int count, int size)
    {
        Span<byte> context = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(context, (ulong)count);
        BinaryPrimitives.WriteUInt64LittleEndian(context[8..], (ulong)size);
        producer.TestRun(new TestRunOptions { Context = context, Flags = TestRunFlags.RunOnCpu, Cpu = (uint)producerCpu });
    }
}
