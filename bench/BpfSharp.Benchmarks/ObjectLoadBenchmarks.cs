using BenchmarkDotNet.Attributes;

namespace BpfSharp.Benchmarks;

/// <summary>
/// Open + load + close of bench/build/medium.bpf.o against libbpf's <c>bpf_object__open_file</c> +
/// <c>bpf_object__load</c> + <c>bpf_object__close</c> (bench/libbpf/object_bench.c: object_open_load_close).
/// Needs root.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(NoisyVmConfig))]
public class ObjectLoadBenchmarks
{
    /// <summary>Why the benchmark cannot run yet; null once <see cref="OpenLoadClose"/> loads for real.</summary>
    public static readonly string? PendingReason = null;

    string path = "";

    [GlobalSetup]
    public void Setup()
    {
        if (PendingReason is not null) throw new NotSupportedException($"ObjectLoadBenchmarks cannot run: {PendingReason}.");
        path = BenchPaths.MediumObject();
    }

    /// <summary>One open + load + close (object_bench: object_open_load_close).</summary>
    [Benchmark]
    public void OpenLoadClose()
    {
        using var obj = Objects.BpfObject.Load(path);
    }
}
