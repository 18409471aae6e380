using System.Diagnostics;
using System.Globalization;

namespace BpfSharp.Benchmarks;

/// <summary>
/// map_bench's own method applied to the C# benchmark bodies, for A/B runs interleaved with map_bench on a noisy
/// machine: per op a 0.2 s × SCALE warm-up, then 5 rounds of at least 1 s × SCALE of timed passes, median round
/// reported, in map_bench's output format (<c>op=&lt;name&gt; ns_per_op=&lt;f&gt; ops_per_s=&lt;f&gt;</c>).
/// Usage: --rounds [SCALE] [OP ...]   (OP: map_bench names, e.g. hash_lookup; default all)
/// </summary>
static class Rounds
{
    const int RoundCount = 5;

    public static int Run(string[] args)
    {
        double scale = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var only = new HashSet<string>(args.Skip(1));
        var bench = new MapBenchmarks();
        bench.Setup();
        try
        {
            (string Op, Action Body, Action? Untimed)[] ops =
            [
                ("hash_update", bench.HashUpdate, null),
                ("hash_lookup", () => bench.HashLookup(), null),
                ("hash_delete", bench.HashDelete, bench.RefillBeforeDelete),
                ("hash_batch_lookup_per_elem", () => bench.HashBatchLookup(), null),
                ("mmap_array_read_per_elem", () => bench.MmapArrayRead(), null),
            ];
            foreach (var (op, body, untimed) in ops)
            {
                if (only.Count > 0 && !only.Contains(op)) continue;
                untimed?.Invoke();
                Round(body, untimed, 0.2 * scale);
                var r = new double[RoundCount];
                for (int i = 0; i < RoundCount; i++) r[i] = Round(body, untimed, scale);
                Array.Sort(r);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"op={op} ns_per_op={r[RoundCount / 2]:0.000} ops_per_s={1e9 / r[RoundCount / 2]:0.0}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# {op}: {RoundCount} rounds, ns_per_op min={r[0]:0.000} max={r[RoundCount - 1]:0.000}"));
            }
        }
        finally
        {
            bench.Cleanup();
        }
        return 0;
    }

    // Timed passes (N ops each) until `seconds` of timed work; the untimed step (refill after delete) runs after each pass.
    static double Round(Action body, Action? untimed, double seconds)
    {
        long target = Math.Max(1, (long)(seconds * Stopwatch.Frequency)), ticks = 0, ops = 0;
        while (ticks < target)
        {
            long t0 = Stopwatch.GetTimestamp();
            body();
            ticks += Stopwatch.GetTimestamp() - t0;
            ops += MapBenchmarks.N;
            untimed?.Invoke();
        }
        return ticks * (1e9 / Stopwatch.Frequency) / ops;
    }
}
