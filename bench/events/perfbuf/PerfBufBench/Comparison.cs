using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace BpfSharp.Benchmarks.PerfBuf;

/// <summary>
/// Reads perfbuf_bench's and PerfBufBench's <c>op=… events_per_s=…</c> lines (several runs each, interleaved by
/// run.sh) and writes the Markdown table: per record size, libbpf's and BpfSharp's events/s (mean of the runs'
/// median rounds, each run in brackets), ratio = BpfSharp ÷ libbpf (above 1: BpfSharp faster), the same ratio for
/// the best rounds (noise on a shared machine only slows rounds down), bytes allocated per record.
/// Targets: ratio ≥ 1.0 and 0 B/record.
/// </summary>
static class Comparison
{
    const string Usage = "usage: --compare --libbpf FILE [--libbpf FILE ...] --ours FILE [--ours FILE ...] [--out FILE]";
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        var libbpfFiles = new List<string>();
        var ourFiles = new List<string>();
        string? output = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value\n{Usage}");
            switch (args[i])
            {
                case "--libbpf": libbpfFiles.Add(Next()); break;
                case "--ours": ourFiles.Add(Next()); break;
                case "--out": output = Next(); break;
                default: Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return 2;
            }
        }
        if (libbpfFiles.Count == 0 || ourFiles.Count == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        List<Dictionary<string, Dictionary<string, double>>> libbpf = libbpfFiles.Select(Read).ToList();
        List<Dictionary<string, Dictionary<string, double>>> ours = ourFiles.Select(Read).ToList();

        var md = new StringBuilder();
        md.AppendLine("# Perf buffer consumption: BpfSharp vs libbpf");
        md.AppendLine();
        md.AppendLine($"Machine: {Environment.ProcessorCount} CPUs, kernel {KernelRelease()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSArchitecture}.");
        md.AppendLine($"Runs, interleaved: libbpf {string.Join(", ", libbpfFiles.Select(Path.GetFileName))}; BpfSharp {string.Join(", ", ourFiles.Select(Path.GetFileName))}.");
        md.AppendLine("Events/s = records drained per second of consume time (median of 11 rounds per run; mean over runs, each run in brackets).");
        md.AppendLine("Ratio = BpfSharp ÷ libbpf events/s: above 1 means BpfSharp is faster; best = the same for each side's fastest round.");
        md.AppendLine("B/record = managed bytes allocated while consuming (struct handler and delegate).");
        md.AppendLine();
        md.AppendLine("| record | libbpf events/s | BpfSharp struct handler | ratio | best | BpfSharp delegate | ratio | best | B/record | target ≥ 1.0×, 0 B |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");

        int failures = 0;
        foreach (string op in libbpf.SelectMany(r => r.Keys).Distinct().Where(o => !o.EndsWith("_delegate", StringComparison.Ordinal)))
        {
            double[] c = Values(libbpf, op, "events_per_s");
            double[] s = Values(ours, op, "events_per_s");
            double[] d = Values(ours, op + "_delegate", "events_per_s");
            double cBest = Values(libbpf, op, "best_events_per_s").DefaultIfEmpty(double.NaN).Max();
            double sBest = Values(ours, op, "best_events_per_s").DefaultIfEmpty(double.NaN).Max();
            double dBest = Values(ours, op + "_delegate", "best_events_per_s").DefaultIfEmpty(double.NaN).Max();
            double[] bytes = Values(ours, op, "bytes_per_record").Concat(Values(ours, op + "_delegate", "bytes_per_record")).ToArray();
            if (c.Length == 0 || s.Length == 0)
            {
                md.AppendLine($"| {op} | {Cell(c)} | {Cell(s)} | | | | | | | not measured |");
                failures++;
                continue;
            }
            double ratio = s.Average() / c.Average();
            double delegateRatio = d.Length > 0 ? d.Average() / c.Average() : double.NaN;
            double maxBytes = bytes.Length > 0 ? bytes.Max() : double.NaN;
            bool met = ratio >= 1.0 && maxBytes == 0;
            if (!met) failures++;
            string record = op.StartsWith("perfbuf_consume_", StringComparison.Ordinal) ? op["perfbuf_consume_".Length..] + " B" : op;
            md.AppendLine($"| {record} | {Cell(c)} | {Cell(s)} | {X(ratio)} | {X(sBest / cBest)} | {Cell(d)} | {X(delegateRatio)} | {X(dBest / cBest)} | " +
                          $"{maxBytes.ToString("0.####", Inv)} | {(met ? "met" : ratio < 1.0 ? "NOT met (rate)" : "NOT met (allocates)")} |");
        }
        string text = md.ToString();
        Console.Write(text);
        if (output is not null) File.WriteAllText(output, text);
        return failures == 0 ? 0 : 1;
    }

    static double[] Values(List<Dictionary<string, Dictionary<string, double>>> runs, string op, string field) =>
        runs.Where(r => r.TryGetValue(op, out var f) && f.ContainsKey(field)).Select(r => r[op][field]).ToArray();

    static string Cell(double[] values) => values.Length switch
    {
        0 => "missing",
        1 => M(values[0]),
        _ => $"{M(values.Average())} ({string.Join(" / ", values.Select(M))})",
    };

    static string X(double ratio) => double.IsNaN(ratio) ? "" : ratio.ToString("0.00", Inv) + "×";

    static string M(double eventsPerSecond) => (eventsPerSecond / 1e6).ToString("0.00", Inv) + " M";

    /// <summary>op → field → value, from lines like <c>op=perfbuf_consume_16 ns_per_record=3.5 events_per_s=2.8e8 …</c>.</summary>
    static Dictionary<string, Dictionary<string, double>> Read(string path)
    {
        var result = new Dictionary<string, Dictionary<string, double>>();
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("op=", StringComparison.Ordinal)) continue;
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = new Dictionary<string, double>();
            foreach (string field in fields.Skip(1))
            {
                int eq = field.IndexOf('=');
                if (eq > 0 && double.TryParse(field[(eq + 1)..], NumberStyles.Float, Inv, out double v)) values[field[..eq]] = v;
            }
            result[fields[0]["op=".Length..]] = values;
        }
        return result;
    }

    static string KernelRelease()
    {
        try { return File.ReadAllText("/proc/sys/kernel/osrelease").Trim(); }
        catch (IOException) { return RuntimeInformation.OSDescription; }
    }
}
