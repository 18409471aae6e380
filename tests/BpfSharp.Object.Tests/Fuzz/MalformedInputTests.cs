using Xunit;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// Issue 3's malformed-input proof: truncated, bit-flipped and field-overwritten versions of vmlinux BTF and of
/// clang-19-compiled objects go through every parser in <see cref="FuzzTargets.All"/>, which must give a result or
/// a <see cref="BpfFormatException"/> — never another exception, a crash, a hang or an allocation out of proportion
/// to the input. A failure lists each finding with its seed, index and mutation, and saves the input to
/// $TMPDIR/bpfsharp-fuzz-findings/. Set BPFSHARP_FUZZ_SEED (default 1) for other mutations and
/// BPFSHARP_FUZZ_SCALE (default 1) for more of them.
/// </summary>
public class MalformedInputTests
{
    static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_SEED"), out ulong s) ? s : 1;
    static readonly double Scale = double.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_FUZZ_SCALE"),
        System.Globalization.CultureInfo.InvariantCulture, out double x) && x > 0 ? x : 1;

    /// <summary>
    /// Parsing plus a full traversal allocates 8–10 bytes per input byte for vmlinux-sized inputs today (strings and
    /// type objects); 64× plus 1 MiB leaves room for another design, but not for a count or size read from the input.
    /// </summary>
    internal static readonly FuzzLimits Limits = new(
        HangAfter: TimeSpan.FromSeconds(30), AllocPerInputByte: 64, AllocSlack: 1 << 20,
        SlowFactor: 100, SlowFloor: TimeSpan.FromSeconds(2));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (FuzzTarget t in FuzzTargets.All)
            foreach (var (set, _) in FuzzCorpus.SetsFor(t.Kind))
                data.Add(t.Name, set);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MutatedInputsGiveAResultOrABpfFormatException(string target, string set)
    {
        FuzzCorpus corpus = RequireCorpus();
        int perEntry = (int)Math.Ceiling(Scale * FuzzCorpus.SetsFor(FuzzTargets.Get(target).Kind).Single(s => s.Set == set).MutationsPerEntry);
        FuzzEntry[] entries = corpus.Set(set).Select(e => new FuzzEntry(e.Name, e.Path, perEntry)).ToArray();

        FuzzReport report = FuzzRunner.Run(FuzzTargets.Get(target), entries, Seed, Limits);

        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary(target));
        Assert.True(report.Findings.Count == 0,
            $"{report.Findings.Count} finding(s) (seed {Seed}):\n{string.Join("\n", report.Findings.Take(25))}\n{report.Summary(target)}");
        // The run really ran: every unmutated input was measured, and the mutations reached the error paths.
        Assert.Equal(entries.Sum(e => e.Count + 1), report.Inputs);
        Assert.Equal(entries.Select(e => e.Name).Order(), report.Baselines.Keys.Order());
        Assert.True(report.Rejected > report.Inputs / 10, $"only {report.Rejected} of {report.Inputs} inputs were rejected: the mutations miss");
        Assert.True(report.Parsed >= entries.Length, $"only {report.Parsed} inputs parsed: the unmutated ones should");
    }

    static FuzzCorpus RequireCorpus()
    {
        FuzzCorpus corpus = FuzzCorpus.Shared;
        if (corpus.Unavailable is not { } why) return corpus;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail($"CI requires the fuzz corpus, but: {why}");
        Assert.Skip($"fuzz corpus unavailable: {why}");
        return corpus;
    }
}
