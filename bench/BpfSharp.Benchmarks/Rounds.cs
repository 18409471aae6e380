using System.Diagnostics;
using System.Globalization;

namespace BpfSharp.Benchmarks;

/// <summary>
/// The C harnesses' own method applied to the C# benchmark bodies, for A/B runs interleaved with map_bench or
/// object_bench on a noisy machine: per op a 0.2 s × SCALE warm-up, then 5 rounds of at least 1 s × SCALE (and at
/// least the harness's minimum number of passes) of timed passes, median round reported, in the harnesses' output
/// format (<c>op=&lt;name&gt; ns_per_op=&lt;f&gt; ops_per_s=&lt;f&gt;</c>).
/// Usage: --rounds [SCALE] [OP|SUITE ...]   (OP: the harnesses' names, e.g. hash_lookup; SUITE: maps (default) or
/// objects)
/// </summary>
static class Rounds
{
    const int RoundCount = 5;

    /// <summary>One op: its harness name, its suite, one timed pass, an untimed step after each pass, ops per pass, minimum passes per round.</summary>
    sealed record Op(string Name, string Suite, Action Body, Action? Untimed, int OpsPerPass, int MinPasses);

    public static int Run(string[] args)
    {
        double scale = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var only = new HashSet<string>(args.Skip(1));
        if (only.Count == 0) only.Add("maps");
        bool Selected(string name, string suite) => only.Contains(name) || only.Contains(suite);

        var maps = new MapBenchmarks();
        var btf = new BtfParseBenchmarks();
        var objects = new ObjectLoadBenchmarks();
        Op[] ops =
        [
            new("hash_update", "maps", maps.HashUpdate, null, MapBenchmarks.N, 1),
            new("hash_lookup", "maps", () => maps.HashLookup(), null, MapBenchmarks.N, 1),
            new("hash_delete", "maps", maps.HashDelete, maps.RefillBeforeDelete, MapBenchmarks.N, 1),
            new("hash_batch_lookup_per_elem", "maps", () => maps.HashBatchLookup(), null, MapBenchmarks.N, 1),
            new("mmap_array_read_per_elem", "maps", () => maps.MmapArrayRead(), null, MapBenchmarks.N, 1),
            // object_bench's MIN_ITERS = 3 whole operations per round.
            new("object_open_load_close", "objects", objects.OpenLoadClose, null, 1, 3),
            new("vmlinux_btf_parse", "objects", () => btf.VmlinuxParse(), null, 1, 3),
            new("vmlinux_btf_parse_walk", "objects", () => btf.VmlinuxParseWalk(), null, 1, 3),
        ];
        Op[] selected = ops.Where(o => Selected(o.Name, o.Suite)).ToArray();
        if (selected.Length == 0)
        {
            Console.Error.WriteLine($"--rounds: nothing selected by '{string.Join(' ', only)}'; ops: {string.Join(' ', ops.Select(o => o.Name))}, suites: maps objects");
            return 2;
        }

        bool needMaps = selected.Any(o => o.Suite == "maps");
        if (needMaps) maps.Setup();
        try
        {
            foreach (Op op in selected)
            {
                if (op.Name == "object_open_load_close") objects.Setup();
                op.Untimed?.Invoke();
                Round(op, 0.2 * scale, 1);
                var r = new double[RoundCount];
                long passes = 0;
                for (int i = 0; i < RoundCount; i++) r[i] = Round(op, scale, op.MinPasses, ref passes);
                Array.Sort(r);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"op={op.Name} ns_per_op={r[RoundCount / 2]:0.000} ops_per_s={1e9 / r[RoundCount / 2]:0.0}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"# {op.Name}: {RoundCount} rounds, {passes} passes, ns_per_op min={r[0]:0.000} max={r[RoundCount - 1]:0.000}"));
            }
        }
        finally
        {
            if (needMaps) maps.Cleanup();
        }
        return 0;
    }

    static double Round(Op op, double seconds, int minPasses)
    {
        long ignored = 0;
        return Round(op, seconds, minPasses, ref ignored);
    }

    // Timed passes until `seconds` of timed work and minPasses passes; the untimed step (refill after delete) runs after each pass.
    static double Round(Op op, double seconds, int minPasses, ref long passesTotal)
    {
        long target = Math.Max(1, (long)(seconds * Stopwatch.Frequency)), ticks = 0, ops = 0, passes = 0;
        while (ticks < target || passes < minPasses)
        {
            long t0 = Stopwatch.GetTimestamp();
            op.Body();
            ticks += Stopwatch.GetTimestamp() - t0;
            ops += op.OpsPerPass;
            passes++;
            op.Untimed?.Invoke();
        }
        passesTotal += passes;
        return ticks * (1e9 / Stopwatch.Frequency) / ops;
    }
}
