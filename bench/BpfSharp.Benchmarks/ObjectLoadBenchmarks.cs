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
    string path = "";

    [GlobalSetup]
    public void Setup()
    {
        path = BenchPaths.MediumObject();
    }

    /// <summary>One open + load + close (object_bench: object_open_load_close).</summary>
    [Benchmark]
    public void OpenLoadClose()
    {
        using var obj = Objects.BpfObject.Load(path);
    }
}
