namespace BpfSharp.Benchmarks;

/// <summary>Files the object and BTF benchmarks read, shared with bench/libbpf/object_bench.c.</summary>
static class BenchPaths
{
    /// <summary>Kernel BTF, as object_bench's <c>btf__parse</c> reads it.</summary>
    public const string VmlinuxBtf = "/sys/kernel/btf/vmlinux";

    const string ObjectVariable = "BPFSHARP_BENCH_OBJECT";
    const string MediumRelative = "bench/build/medium.bpf.o";

    /// <summary>
    /// bench/build/medium.bpf.o (built by <c>make -C bench/libbpf objects</c>), or the file named by
    /// BPFSHARP_BENCH_OBJECT. BenchmarkDotNet runs benchmarks in a child process under its artifacts folder, so
    /// the repository is found by walking up from the working directory and from the program's own folder.
    /// </summary>
    public static string MediumObject()
    {
        if (Environment.GetEnvironmentVariable(ObjectVariable) is { Length: > 0 } fromEnv)
            return File.Exists(fromEnv) ? fromEnv : throw new FileNotFoundException($"{ObjectVariable}={fromEnv} does not exist.", fromEnv);
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, MediumRelative);
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"{MediumRelative} not found above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}: build it with " +
            $"`make -C bench/libbpf objects` (clang-19, bpftool) or set {ObjectVariable}.");
    }
}
