namespace BpfSharp.Benchmarks;

/// <summary>
/// Exact managed allocation per invocation (one pass of N operations) of each map benchmark, measured with
/// GC.GetAllocatedBytesForCurrentThread. BenchmarkDotNet divides its allocation count by OperationsPerInvoke and
/// rounds, which would hide a few bytes per 100,000-op pass; this check does not round anything away.
/// Output lines: <c>op=&lt;benchmark&gt; bytes_per_invocation=&lt;n&gt; invocations=&lt;k&gt;</c>.
/// </summary>
static class AllocCheck
{
    const int Invocations = 3;

    public static int Run(string[] args)
    {
        TextWriter output = args.Length > 0 ? new StreamWriter(args[0]) : Console.Out;
        var bench = new MapBenchmarks();
        bench.Setup();
        try
        {
            (string Name, Action Body, Action? Before)[] ops =
            [
                (nameof(MapBenchmarks.HashUpdate), bench.HashUpdate, null),
                (nameof(MapBenchmarks.HashLookup), () => bench.HashLookup(), null),
                (nameof(MapBenchmarks.HashDelete), bench.HashDelete, bench.RefillBeforeDelete),
                (nameof(MapBenchmarks.HashBatchLookup), () => bench.HashBatchLookup(), null),
                (nameof(MapBenchmarks.MmapArrayRead), () => bench.MmapArrayRead(), null),
            ];
            foreach (var (name, body, before) in ops)
            {
                before?.Invoke();
                body(); // first call: JIT and lazy initialisation (the mmap of the array) are not counted
                long total = 0;
                for (int i = 0; i < Invocations; i++)
                {
                    before?.Invoke();
                    long start = GC.GetAllocatedBytesForCurrentThread();
                    body();
                    total += GC.GetAllocatedBytesForCurrentThread() - start;
                }
                before?.Invoke(); // leave the map full for the next op (HashDelete empties it)
                output.WriteLine($"op={name} bytes_per_invocation={(double)total / Invocations:0.##} invocations={Invocations} ops_per_invocation={MapBenchmarks.N}");
            }
        }
        finally
        {
            bench.Cleanup();
            output.Flush();
            if (output != Console.Out) output.Dispose();
        }
        return 0;
    }
}
