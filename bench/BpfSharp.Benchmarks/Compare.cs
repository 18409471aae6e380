using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace BpfSharp.Benchmarks;

/// <summary>
/// Pairs the C harnesses' <c>op=… ns_per_op=…</c> lines (bench/libbpf/map_bench, object_bench) with BenchmarkDotNet's
/// JSON report and writes the comparison as a Markdown table. Ratio = libbpf ns/op ÷ BpfSharp ns/op, so above 1
/// means BpfSharp is faster. libbpf's number is the harness's median round (the mean of those medians when several
/// runs are given); BpfSharp's is BenchmarkDotNet's median iteration. Only rows with a number on either side are
/// printed, so one table per suite (maps, objects) comes out of the same code.
/// </summary>
static class Compare
{
    const string Usage =
        "usage: --compare --libbpf FILE [--libbpf FILE ...] (--bdn DIR|FILE | --rounds FILE [--rounds FILE ...]) [--alloc FILE] [--out FILE]\n" +
        "  --libbpf  map_bench or object_bench output (op=<name> ns_per_op=<f> lines); several runs are averaged\n" +
        "  --bdn     BenchmarkDotNet JSON report, or a directory searched for *.json\n" +
        "  --rounds  instead of --bdn: output of the --rounds mode (same format as the C harnesses); several runs are averaged\n" +
        "  --alloc   output of --alloc-check (exact bytes per 100,000-op invocation of the map benchmarks)\n" +
        "  --out     write the Markdown summary here as well as to stdout";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// One row: libbpf's op name, the C# benchmark (class and method), the factor from the benchmark's unit to this
    /// row's, the target ratio, whether the target includes zero allocation, and why the C# side cannot run yet.
    /// </summary>
    sealed record Row(string Op, string Type, string Benchmark, double Scale, double Target, bool ZeroAlloc)
    {
        public string Key => $"{Type}.{Benchmark}";
    }

    static readonly Row[] Rows =
    [
        new("hash_update", nameof(MapBenchmarks), nameof(MapBenchmarks.HashUpdate), 1, 0.95, true),
        new("hash_lookup", nameof(MapBenchmarks), nameof(MapBenchmarks.HashLookup), 1, 0.95, true),
        new("hash_delete", nameof(MapBenchmarks), nameof(MapBenchmarks.HashDelete), 1, 0.95, true),
        new("hash_batch_lookup_per_elem", nameof(MapBenchmarks), nameof(MapBenchmarks.HashBatchLookup), 1, 1.0, true),
        new("hash_batch_lookup_per_sweep", nameof(MapBenchmarks), nameof(MapBenchmarks.HashBatchLookup), MapBenchmarks.N, 1.0, true),
        new("mmap_array_read_per_elem", nameof(MapBenchmarks), nameof(MapBenchmarks.MmapArrayRead), 1, 1.0, true),
        // Issue 3's targets: load <= 1.0x libbpf's time, vmlinux BTF parse <= 1.0x btf__parse's.
        new("object_open_load_close", nameof(ObjectLoadBenchmarks), nameof(ObjectLoadBenchmarks.OpenLoadClose), 1, 1.0, false),
        new("vmlinux_btf_parse", nameof(BtfParseBenchmarks), nameof(BtfParseBenchmarks.VmlinuxParse), 1, 1.0, false),
        new("vmlinux_btf_parse_walk", nameof(BtfParseBenchmarks), nameof(BtfParseBenchmarks.VmlinuxParseWalk), 1, 1.0, false),
    ];

    sealed record BdnResult(double Median, double Mean, double Min, double Max, long? BytesPerOp);

    public static int Run(string[] args)
    {
        var libbpfFiles = new List<string>();
        var roundFiles = new List<string>();
        string? bdn = null, alloc = null, output = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            switch (args[i])
            {
                case "--libbpf": libbpfFiles.Add(Next()); break;
                case "--bdn": bdn = Next(); break;
                case "--rounds": roundFiles.Add(Next()); break;
                case "--alloc": alloc = Next(); break;
                case "--out": output = Next(); break;
                default: Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return 2;
            }
        }
        if (libbpfFiles.Count == 0 || (bdn is null) == (roundFiles.Count == 0))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        List<Dictionary<string, double>> libbpfRuns = libbpfFiles.Select(ReadLibbpf).ToList();
        (Dictionary<string, BdnResult> results, string host) = bdn is not null ? ReadBdn(bdn) : (ReadRounds(roundFiles), "");
        Dictionary<string, double> allocations = alloc is null ? [] : ReadAlloc(alloc);

        // A row belongs to this comparison when either side measured it (map_bench output has no object ops, …).
        Row[] rows = Rows.Where(r => libbpfRuns.Any(run => run.ContainsKey(r.Op)) || results.ContainsKey(r.Key)).ToArray();
        bool mapRows = rows.Any(r => r.ZeroAlloc);

        var md = new StringBuilder();
        md.AppendLine(mapRows && rows.All(r => r.ZeroAlloc) ? "# Map benchmarks: BpfSharp vs libbpf"
            : rows.All(r => !r.ZeroAlloc) ? "# Object load and BTF parse benchmarks: BpfSharp vs libbpf"
            : "# Benchmarks: BpfSharp vs libbpf");
        md.AppendLine();
        md.AppendLine($"Machine: {Environment.ProcessorCount} CPUs, kernel {KernelRelease()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSArchitecture}.");
        if (host.Length > 0) md.AppendLine($"BenchmarkDotNet host: {host}.");
        md.AppendLine($"libbpf runs: {string.Join(", ", libbpfFiles.Select(Path.GetFileName))} (ns/op = the C harness's median round; several runs are averaged for the ratio).");
        md.AppendLine(bdn is not null
            ? "BpfSharp ns/op = BenchmarkDotNet's median iteration (min–max over iterations in brackets)."
            : $"BpfSharp runs: {string.Join(", ", roundFiles.Select(Path.GetFileName))} (--rounds: the C harnesses' method; mean of the runs' medians, min–max of them in brackets).");
        md.AppendLine("Ratio = libbpf ns/op ÷ BpfSharp ns/op: above 1 means BpfSharp is faster; in brackets the ratio against each libbpf run alone.");
        md.AppendLine(mapRows
            ? "Allocated: BenchmarkDotNet's bytes/op (per element, rounded) and the exact bytes per 100,000-element pass (--alloc-check)."
            : "Allocated: BenchmarkDotNet's bytes/op (no allocation target for these ops).");
        md.AppendLine();
        md.AppendLine("| op | libbpf ns/op | BpfSharp ns/op | ratio | allocated B/op | B per pass | target | met |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|---|");

        int missing = 0;
        foreach (Row row in rows)
        {
            double[] c = libbpfRuns.Select(r => r.TryGetValue(row.Op, out double v) ? v : double.NaN).Where(v => !double.IsNaN(v)).ToArray();
            string libbpfText = c.Length == 0 ? "missing" : c.Length > 1 ? $"{F(c.Average())} ({string.Join(" / ", c.Select(F))})" : F(c[0]);
            if (c.Length == 0 || !results.TryGetValue(row.Key, out BdnResult? cs))
            {
                md.AppendLine($"| {row.Op} | {libbpfText} | {(results.ContainsKey(row.Key) ? "" : "missing")} | | | | | not measured |");
                missing++;
                continue;
            }
            double libbpf = c.Average();
            double ours = cs.Median * row.Scale;
            double ratio = libbpf / ours;
            string perRun = c.Length > 1 ? $" ({string.Join(" / ", c.Select(x => (x / ours).ToString("0.000", Inv)))})" : "";
            double? exact = allocations.TryGetValue(row.Benchmark, out double a) ? a : null;
            bool? allocOk = !row.ZeroAlloc ? true : exact is double e ? e == 0 : cs.BytesPerOp is long b ? b == 0 : null;
            bool rateOk = ratio >= row.Target;
            string met = (rateOk, allocOk) switch
            {
                (true, true) => "met",
                (false, true) => "NOT met (rate)",
                (true, false) => "NOT met (allocates)",
                (false, false) => "NOT met (rate, allocates)",
                (true, null) => "rate met; allocation not measured",
                (false, null) => "NOT met (rate); allocation not measured",
            };
            string target = $"≥ {row.Target.ToString("0.00", Inv)}×{(row.ZeroAlloc ? ", 0 B" : "")}";
            md.AppendLine($"| {row.Op} | {libbpfText} | {F(ours)} [{F(cs.Min * row.Scale)}–{F(cs.Max * row.Scale)}] | {ratio.ToString("0.000", Inv)}{perRun} | " +
                          $"{(cs.BytesPerOp?.ToString(Inv) ?? (row.ZeroAlloc ? "?" : ""))} | {(exact?.ToString("0.##", Inv) ?? (row.ZeroAlloc ? "?" : ""))} | {target} | {met} |");
        }

        string text = md.ToString();
        Console.Write(text);
        if (output is not null) File.WriteAllText(output, text);
        return missing == 0 ? 0 : 1;
    }

    static string F(double ns) => ns >= 1e6 ? ns.ToString("0", Inv) : ns >= 100 ? ns.ToString("0.0", Inv) : ns.ToString("0.000", Inv);

    static string KernelRelease()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return RuntimeInformation.OSDescription; }
    }

    static Dictionary<string, double> ReadLibbpf(string path)
    {
        var result = new Dictionary<string, double>();
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("op=", StringComparison.Ordinal)) continue;
            string? op = null;
            double? ns = null;
            foreach (string field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = field.IndexOf('=');
                if (eq < 0) continue;
                string key = field[..eq], value = field[(eq + 1)..];
                if (key == "op") op = value;
                else if (key == "ns_per_op") ns = double.Parse(value, Inv);
            }
            if (op is not null && ns is double v) result[op] = v;
        }
        return result;
    }

    // --rounds output uses map_bench's op names; key the results by the benchmark that produced them.
    static Dictionary<string, BdnResult> ReadRounds(List<string> files)
    {
        var runs = files.Select(ReadLibbpf).ToList();
        var results = new Dictionary<string, BdnResult>();
        foreach (Row row in Rows.Where(r => r.Scale == 1))
        {
            double[] v = runs.Where(r => r.ContainsKey(row.Op)).Select(r => r[row.Op]).ToArray();
            if (v.Length > 0) results[row.Key] = new BdnResult(v.Average(), v.Average(), v.Min(), v.Max(), null);
        }
        return results;
    }

    static Dictionary<string, double> ReadAlloc(string path)
    {
        var result = new Dictionary<string, double>();
        foreach (string line in File.ReadLines(path))
        {
            string? op = null;
            double? bytes = null;
            foreach (string field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = field.IndexOf('=');
                if (eq < 0) continue;
                if (field[..eq] == "op") op = field[(eq + 1)..];
                else if (field[..eq] == "bytes_per_invocation") bytes = double.Parse(field[(eq + 1)..], Inv);
            }
            if (op is not null && bytes is double b) result[op] = b;
        }
        return result;
    }

    static readonly HashSet<string> KnownTypes = Rows.Select(r => r.Type).ToHashSet();

    static (Dictionary<string, BdnResult>, string Host) ReadBdn(string path)
    {
        string[] files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.json", SearchOption.AllDirectories)
            : [path];
        var results = new Dictionary<string, BdnResult>();
        string host = "";
        foreach (string file in files)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement root = doc.RootElement;
            if (root.TryGetProperty("HostEnvironmentInfo", out JsonElement env))
                host = string.Join(", ", new[] { "OsVersion", "ProcessorName", "RuntimeVersion", "BenchmarkDotNetVersion" }
                    .Select(p => env.TryGetProperty(p, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                    .Where(s => !string.IsNullOrEmpty(s)));
            if (!root.TryGetProperty("Benchmarks", out JsonElement benchmarks)) continue;
            foreach (JsonElement b in benchmarks.EnumerateArray())
            {
                if (!b.TryGetProperty("Type", out JsonElement type) || type.GetString() is not string typeName || !KnownTypes.Contains(typeName)) continue;
                string method = b.GetProperty("Method").GetString()!;
                if (!b.TryGetProperty("Statistics", out JsonElement stats) || stats.ValueKind != JsonValueKind.Object) continue;
                long? bytes = b.TryGetProperty("Memory", out JsonElement mem) && mem.ValueKind == JsonValueKind.Object &&
                              mem.TryGetProperty("BytesAllocatedPerOperation", out JsonElement bpo) && bpo.ValueKind == JsonValueKind.Number
                    ? bpo.GetInt64() : null;
                results[$"{typeName}.{method}"] = new BdnResult(stats.GetProperty("Median").GetDouble(), stats.GetProperty("Mean").GetDouble(),
                    stats.GetProperty("Min").GetDouble(), stats.GetProperty("Max").GetDouble(), bytes);
            }
        }
        return (results, host);
    }
}
