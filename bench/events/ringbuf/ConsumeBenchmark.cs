using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using BpfSharp.Programs;

namespace BpfSharp.Bench.RingBuf;

/// <summary>
/// ringbuf_bench.c's method on BpfSharp: for each record size, fill the 4 MiB ring exactly with produce_&lt;size&gt;
/// (BPF_PROG_TEST_RUN, untimed), then time one <c>Consume</c> draining it; after 2 warm-up drains, 50 × SCALE timed
/// drains (at least 5), median and minimum ns per record reported. Two consumers: a struct handler
/// (<c>Consume(ref handler)</c>, no delegate) and a <see cref="RingBufferCallback"/> delegate; each reads the record's
/// first 8 bytes and its length, as the C callback does. Before any measurement the JIT is warmed up (both consume
/// paths run 60 times, then a pause for the tiered compiler), as a C harness is compiled ahead of time. Managed bytes
/// allocated on this thread during the timed drains are reported per record.
/// </summary>
static class ConsumeBenchmark
{
    const int Header = 8;
    static readonly int[] Sizes = [16, 64, 256, 1024, 4096];
    static readonly byte[] Packet = new byte[64];
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    static ulong delegateSink, delegateCount;
    static readonly RingBufferCallback Callback = record =>
    {
        delegateSink += MemoryMarshal.Read<ulong>(record) + (ulong)record.Length;
        delegateCount++;
        return true;
    };

    struct SumHandler : IRingBufferHandler
    {
        public ulong Sink, Count;

        public bool OnRecord(ReadOnlySpan<byte> record)
        {
            Sink += MemoryMarshal.Read<ulong>(record) + (ulong)record.Length;
            Count++;
            return true;
        }
    }

    static ulong handlerSink;

    /// <summary>Fills the ring (untimed) and drains it (timed); returns the drain's ticks and adds its allocations.</summary>
    static long Drain(BpfProgram producer, RingBufferReader reader, uint capacity, bool useDelegate, ref long allocated)
    {
        producer.TestRun(new TestRunOptions { Data = Packet, Repeat = capacity });
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        int n;
        ulong count;
        if (useDelegate)
        {
            ulong before = delegateCount;
            n = reader.Consume(Callback);
            count = delegateCount - before;
        }
        else
        {
            var handler = new SumHandler();
            n = reader.Consume(ref handler);
            count = handler.Count;
            handlerSink += handler.Sink;
        }
        long t1 = Stopwatch.GetTimestamp();
        allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
        if (n != capacity || count != capacity)
            throw new InvalidOperationException($"consumed {n} records ({count} seen by the handler), expected {capacity}");
        return t1 - t0;
    }

    public static int Run(string[] args)
    {
        string producer = args[0];
        double scale = args.Length > 1 ? double.Parse(args[1], Inv) : 1.0;
        int drains = Math.Max(5, (int)(50 * scale));
        using BpfObject bpf = BpfObject.Load(producer);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        Console.WriteLine(string.Create(Inv,
            $"# RingBufBench: BpfSharp RingBufferReader, ring {reader.Size} bytes, {drains} timed drains per size, median and min; {RuntimeInformation.FrameworkDescription}"));

        long ignored = 0;
        BpfProgram warm = bpf.Program("produce_4096");
        uint warmCapacity = Capacity(reader, 4096);
        for (int i = 0; i < 60; i++)
        {
            Drain(warm, reader, warmCapacity, useDelegate: false, ref ignored);
            Drain(warm, reader, warmCapacity, useDelegate: true, ref ignored);
        }
        Thread.Sleep(500);

        foreach (bool useDelegate in new[] { false, true })
        {
            foreach (int size in Sizes)
            {
                BpfProgram program = bpf.Program($"produce_{size}");
                uint capacity = Capacity(reader, size);
                string op = useDelegate ? $"ringbuf_consume_delegate_{size}" : $"ringbuf_consume_{size}";
                for (int i = 0; i < 2; i++) Drain(program, reader, capacity, useDelegate, ref ignored);
                var ns = new double[drains];
                long allocated = 0;
                for (int i = 0; i < drains; i++)
                    ns[i] = Drain(program, reader, capacity, useDelegate, ref allocated) * (1e9 / Stopwatch.Frequency) / capacity;
                Array.Sort(ns);
                double median = ns[drains / 2];
                long records = (long)drains * capacity;
                Console.WriteLine(string.Create(Inv, $"op={op} ns_per_op={median:0.000} ops_per_s={1e9 / median:0.0} min_ns_per_op={ns[0]:0.000}"));
                Console.WriteLine(string.Create(Inv, $"alloc op={op} bytes_per_record={(double)allocated / records:0.######} bytes={allocated} records={records}"));
                Console.WriteLine(string.Create(Inv, $"# {op}: {capacity} records per drain, ns_per_op max={ns[drains - 1]:0.000}"));
            }
        }
        Console.WriteLine($"# sink {handlerSink + delegateSink}");
        return 0;
    }

    static uint Capacity(RingBufferReader reader, int size) => (uint)(reader.Size / ((size + Header + 7) & ~7));
}
