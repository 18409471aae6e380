using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Benchmarks;

/// <summary>The 64-byte map value of bench/libbpf/map_bench.c (<c>struct value { u64 f[8]; }</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Value64
{
    public ulong F0, F1, F2, F3, F4, F5, F6, F7;
}

/// <summary>
/// A job for a small, shared, noisy VM: one process, 3 warm-up and 15 measured iterations of ~250 ms each.
/// Single-element map ops cost ~1–2 µs here, so one 100,000-op invocation already fills an iteration; the
/// suite (5 benchmarks) runs in well under two minutes after the build.
/// </summary>
public sealed class NoisyVmConfig : ManualConfig
{
    public NoisyVmConfig()
    {
        AddJob(Job.Default
            .WithId("NoisyVm")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(250)));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
    }
}

/// <summary>
/// The same operations on the same map shapes as bench/libbpf/map_bench.c. Every benchmark method does one full
/// pass of <see cref="N"/> operations and declares OperationsPerInvoke = N, so the reported time is per element.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(NoisyVmConfig))]
public class MapBenchmarks
{
    /// <summary>Entries in the hash map and the array, as in map_bench.c.</summary>
    public const int N = 100_000;

    /// <summary>Elements per BPF_MAP_LOOKUP_BATCH call, as in map_bench.c.</summary>
    public const int Batch = 1024;

    HashMap<uint, Value64> hash = null!;
    ArrayMap<Value64> array = null!;
    MapBatchCursor cursor = null!;
    readonly uint[] batchKeys = new uint[Batch];
    readonly Value64[] batchValues = new Value64[Batch];

    [GlobalSetup]
    public void Setup()
    {
        hash = HashMap<uint, Value64>.Create(N, "bench_hash");
        FillHash();
        cursor = hash.NewBatchCursor();
        array = ArrayMap<Value64>.Create(N, "bench_array", MapCreateFlags.Mmapable);
        Span<Value64> values = array.AsSpan();
        for (int i = 0; i < values.Length; i++) values[i].F0 = (ulong)i;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        hash?.Dispose();
        array?.Dispose();
    }

    void FillHash()
    {
        Value64 v = default;
        for (uint k = 0; k < N; k++)
        {
            v.F0 = k;
            hash.Update(k, v);
        }
    }

    /// <summary>BPF_ANY update of every existing key in turn (map_bench: hash_update).</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void HashUpdate()
    {
        Value64 v = default;
        for (uint k = 0; k < N; k++)
        {
            v.F0 = k + 1;
            hash.Update(k, v, MapUpdateFlags.Any);
        }
    }

    /// <summary>Lookup of every existing key in turn, summing the first field (map_bench: hash_lookup).</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public ulong HashLookup()
    {
        ulong sum = 0;
        for (uint k = 0; k < N; k++)
        {
            if (!hash.TryGetValue(k, out Value64 v)) throw new InvalidOperationException($"key {k} missing");
            sum += v.F0;
        }
        return sum;
    }

    /// <summary>The map is refilled before each iteration (not timed); see <see cref="HashDelete"/>.</summary>
    [IterationSetup(Target = nameof(HashDelete))]
    public void RefillBeforeDelete() => FillHash();

    /// <summary>
    /// Deletes all N keys of a full map (map_bench: hash_delete). [IterationSetup] makes BenchmarkDotNet run one
    /// invocation per iteration, so every timed pass starts from a full map and the refill is outside the timing.
    /// </summary>
    [Benchmark(OperationsPerInvoke = N)]
    public void HashDelete()
    {
        for (uint k = 0; k < N; k++)
            if (!hash.Remove(k)) throw new InvalidOperationException($"key {k} missing");
    }

    /// <summary>One full sweep with BPF_MAP_LOOKUP_BATCH, 1024 per call, summing the first field (map_bench: hash_batch_lookup).</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public ulong HashBatchLookup()
    {
        cursor.Reset();
        ulong sum = 0;
        int seen = 0;
        Span<uint> keys = batchKeys;
        Span<Value64> values = batchValues;
        while (!cursor.Done)
        {
            int count = hash.LookupBatch(cursor, keys, values);
            for (int i = 0; i < count; i++) sum += values[i].F0;
            seen += count;
        }
        if (seen != N) throw new InvalidOperationException($"batch sweep saw {seen} elements, expected {N}");
        return sum;
    }

    /// <summary>Sums the first ulong of each of the N 64-byte elements through the mapping (map_bench: mmap_array_read).</summary>
    [Benchmark(OperationsPerInvoke = N)]
    public ulong MmapArrayRead()
    {
        ulong sum = 0;
        foreach (ref readonly Value64 v in array.AsSpan()) sum += v.F0;
        return sum;
    }
}
