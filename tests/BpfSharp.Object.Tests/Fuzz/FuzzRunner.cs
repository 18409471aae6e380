using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>One valid input and how many mutations of it to run.</summary>
sealed record FuzzEntry(string Name, string Path, long Count);

/// <summary>
/// What counts as a finding besides an exception: a hang (no answer within <see cref="HangAfter"/>), an allocation
/// above <see cref="AllocPerInputByte"/> × input length + <see cref="AllocSlack"/>, or an input that takes more than
/// <see cref="SlowFactor"/> × the unmutated input's time (and at least <see cref="SlowFloor"/>).
/// </summary>
sealed record FuzzLimits(TimeSpan HangAfter, double AllocPerInputByte, long AllocSlack, double SlowFactor, TimeSpan SlowFloor)
{
    public long AllocBound(long inputLength) => (long)(AllocPerInputByte * inputLength) + AllocSlack;
}

enum FindingKind { Exception, Crash, Hang, Allocation, Slow }

/// <summary>One bad outcome, with everything needed to replay it.</summary>
sealed record FuzzFinding(string Target, string Entry, ulong Seed, long Index, FindingKind Kind, string Detail)
{
    public string Mutation { get; set; } = "";
    public string? SavedInput { get; set; }

    public override string ToString() =>
        $"{Kind} in {Target} on {Entry} seed={Seed} index={Index} [{(Index < 0 ? "unmutated input" : Mutation)}]: {Detail}" +
        (SavedInput is null ? "" : $" (input saved to {SavedInput})");
}

/// <summary>Totals of one run, for the test log and the allocation/time bounds.</summary>
sealed class FuzzReport
{
    public List<FuzzFinding> Findings { get; } = [];
    public long Inputs, Parsed, Rejected, ChildStarts;
    public double MaxAllocPerByte;
    public long MaxMicros;
    public Dictionary<string, (long Alloc, long Micros)> Baselines { get; } = [];

    public string Summary(string target) =>
        $"{target}: {Inputs} inputs ({Parsed} parsed, {Rejected} rejected) in {ChildStarts} child process(es); " +
        $"max allocation {MaxAllocPerByte:0.0} B per input byte, slowest input {MaxMicros / 1000.0:0.0} ms; " +
        $"unmutated: {string.Join(", ", Baselines.Select(b => $"{b.Key} {b.Value.Alloc / 1024} KiB {b.Value.Micros / 1000.0:0.0} ms"))}; " +
        $"{Findings.Count} finding(s)";
}

/// <summary>
/// Runs a target over the mutations of each entry in a child process (<see cref="FuzzChild"/>), watching it: a child
/// that dies or stops answering yields a finding for the input it was on and is replaced by a new child that goes
/// on with the next input.
/// </summary>
static class FuzzRunner
{
    const int MaxChildStarts = 25;
    static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Where the inputs of findings are saved: <c>TARGET-ENTRY-sSEED-iINDEX.bin</c>.</summary>
    public static string FindingsDirectory { get; } = Path.Combine(Path.GetTempPath(), "bpfsharp-fuzz-findings");

    public static FuzzReport Run(FuzzTarget target, IReadOnlyList<FuzzEntry> entries, ulong seed, FuzzLimits limits)
    {
        // Findings of an earlier run of the same target, entry and seed would be mistaken for this run's.
        if (Directory.Exists(FindingsDirectory))
            foreach (FuzzEntry e in entries)
                foreach (string old in Directory.GetFiles(FindingsDirectory, $"{target.Name}-{e.Name}-s{seed}-i*.bin"))
                    File.Delete(old);
        var report = new FuzzReport();
        var lengths = entries.ToDictionary(e => e.Name, e => new FileInfo(e.Path).Length);
        // Ranges still to run, in order: (entry, first index, count); index -1 is the unmutated input.
        var ranges = entries.Select(e => (Entry: e, First: -1L, Count: e.Count + 1)).ToList();
        string request = Path.Combine(Path.GetTempPath(), $"bpfsharp-fuzz-{Environment.ProcessId}-{Guid.NewGuid():n}.txt");
        try
        {
            while (ranges.Count > 0 && report.ChildStarts < MaxChildStarts)
            {
                File.WriteAllLines(request, [$"target\t{target.Name}", $"seed\t{seed}",
                    .. ranges.Select(r => $"entry\t{r.Entry.Name}\t{r.Entry.Path}\t{r.First}\t{r.Count}")]);
                report.ChildStarts++;
                (string Entry, long Index)? stoppedAt = RunChild(target, request, seed, limits, lengths, report);
                if (stoppedAt is not var (entry, index)) break;
                int at = ranges.FindIndex(r => r.Entry.Name == entry);
                var current = ranges[at];
                long end = current.First + current.Count;
                ranges = [.. index + 1 < end ? [(current.Entry, index + 1, end - index - 1)] : Array.Empty<(FuzzEntry, long, long)>(),
                          .. ranges.Skip(at + 1)];
            }
            if (ranges.Count > 0 && report.ChildStarts >= MaxChildStarts)
                report.Findings.Add(new(target.Name, ranges[0].Entry.Name, seed, ranges[0].First, FindingKind.Crash,
                    $"gave up after {MaxChildStarts} child processes; inputs from here on were not run"));
        }
        finally
        {
            File.Delete(request);
        }
        Describe(target, entries, seed, report.Findings);
        return report;
    }

    // Returns where the child stopped early (crash or hang), or null when it finished its request.
    static (string, long)? RunChild(FuzzTarget target, string request, ulong seed, FuzzLimits limits,
        Dictionary<string, long> lengths, FuzzReport report)
    {
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(typeof(FuzzChild).Assembly.Location);
        psi.Environment[FuzzChild.Variable] = request;

        using var child = Process.Start(psi) ?? throw new InvalidOperationException("could not start the fuzz child");
        var lines = new BlockingCollection<string?>();
        var stderr = new BoundedText(1600);
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Append(e.Data); };
        child.BeginErrorReadLine();
        var reader = new Thread(() =>
        {
            try
            {
                while (child.StandardOutput.ReadLine() is string line) lines.Add(line);
            }
            catch (IOException) { }
            lines.Add(null);
        }) { IsBackground = true };
        reader.Start();

        (string Entry, long Index)? current = null;
        while (true)
        {
            TimeSpan wait = current is null ? StartupTimeout : limits.HangAfter;
            if (!lines.TryTake(out string? line, wait))
            {
                try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                if (current is not var (e, i))
                {
                    report.Findings.Add(new(target.Name, "-", seed, -1, FindingKind.Hang, $"the fuzz child said nothing for {wait.TotalSeconds:0} s"));
                    return null;
                }
                report.Findings.Add(new(target.Name, e, seed, i, FindingKind.Hang, $"no answer after {wait.TotalSeconds:0} s"));
                return (e, i);
            }
            if (line is null) break;
            string[] f = line.Split('\t');
            switch (f[0])
            {
                case "begin":
                    current = (f[1], long.Parse(f[2]));
                    break;
                case "done":
                {
                    string entry = f[1];
                    long index = long.Parse(f[2]), alloc = long.Parse(f[4]), micros = long.Parse(f[5]);
                    current = null;
                    report.Inputs++;
                    if (f[3] == "parsed") report.Parsed++; else report.Rejected++;
                    long length = Math.Max(1, lengths[entry]);
                    if (index < 0) report.Baselines[entry] = (alloc, micros);
                    long slowLimit = Math.Max((long)limits.SlowFloor.TotalMicroseconds,
                        (long)(limits.SlowFactor * report.Baselines.GetValueOrDefault(entry).Micros));
                    report.MaxAllocPerByte = Math.Max(report.MaxAllocPerByte, (double)alloc / length);
                    report.MaxMicros = Math.Max(report.MaxMicros, micros);
                    if (alloc > limits.AllocBound(length))
                        report.Findings.Add(new(target.Name, entry, seed, index, FindingKind.Allocation,
                            $"allocated {alloc} bytes for a {length}-byte input (bound {limits.AllocBound(length)})"));
                    if (index >= 0 && micros > slowLimit)
                        report.Findings.Add(new(target.Name, entry, seed, index, FindingKind.Slow,
                            $"took {micros / 1000.0:0.0} ms (limit {slowLimit / 1000.0:0.0} ms; unmutated {report.Baselines.GetValueOrDefault(entry).Micros / 1000.0:0.0} ms)"));
                    break;
                }
                case "fail":
                    current = null;
                    report.Inputs++;
                    report.Findings.Add(new(target.Name, f[1], seed, long.Parse(f[2]), FindingKind.Exception, f[3]));
                    break;
            }
        }
        child.WaitForExit();
        if (current is var (ce, ci))
        {
            report.Findings.Add(new(target.Name, ce, seed, ci, FindingKind.Crash,
                $"the process died (exit code {child.ExitCode}): {stderr}"));
            return (ce, ci);
        }
        if (child.ExitCode != 0)
            report.Findings.Add(new(target.Name, "-", seed, -1, FindingKind.Crash, $"the fuzz child failed (exit code {child.ExitCode}): {stderr}"));
        return null;
    }

    // Rebuilds each finding's mutation (same plan as the child) to print it and save the input for a replay.
    static void Describe(FuzzTarget target, IReadOnlyList<FuzzEntry> entries, ulong seed, List<FuzzFinding> findings)
    {
        string dir = FindingsDirectory;
        var plans = new Dictionary<string, (byte[] Original, MutationPlan Plan)>();
        foreach (FuzzFinding finding in findings)
        {
            if (finding.Index < 0 || entries.FirstOrDefault(e => e.Name == finding.Entry) is not { } entry) continue;
            if (!plans.TryGetValue(entry.Name, out var p))
            {
                byte[] original = File.ReadAllBytes(entry.Path);
                plans[entry.Name] = p = (original, new MutationPlan(original, FuzzTargets.ScannerFor(target.Kind)(original), seed));
            }
            Mutation mutation = p.Plan[finding.Index];
            finding.Mutation = mutation.ToString();
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, $"{target.Name}-{entry.Name}-s{seed}-i{finding.Index}.bin");
            File.WriteAllBytes(file, mutation.Apply(p.Original));
            finding.SavedInput = file;
        }
    }

    // The dotnet host of the running runtime (…/dotnet/shared/Microsoft.NETCore.App/<version>/ → …/dotnet/dotnet).
    static string DotnetHost()
    {
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }

    /// <summary>The first and last characters of a possibly long text (a stack overflow prints thousands of frames).</summary>
    sealed class BoundedText(int limit)
    {
        readonly StringBuilder head = new(), tail = new();
        readonly Lock gate = new();

        public void Append(string line)
        {
            lock (gate)
            {
                if (head.Length < limit / 2) head.Append(line).Append(" | ");
                else
                {
                    tail.Append(line).Append(" | ");
                    if (tail.Length > limit) tail.Remove(0, tail.Length - limit / 2);
                }
            }
        }

        public override string ToString()
        {
            lock (gate) return tail.Length == 0 ? head.ToString() : $"{head}… {tail}";
        }
    }
}
