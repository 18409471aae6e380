using System.Globalization;
using System.Text;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>The comparison as Markdown: one table of medians and ratios, then the raw samples and any problems.</summary>
static class Report
{
    const double InstructionTarget = 1.1, RunTimeTarget = 1.1, CompileTarget = 1.0;

    public static string Render(IReadOnlyList<CaseResult> results, RunSettings settings)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# Compiler output vs clang ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Kernel {Environment.OSVersion.Version}, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}. " +
            $"C: `{settings.ClangCommand}`. ns/run: kernel-reported BPF_PROG_TEST_RUN duration, repeat {settings.Repeat:N0}, " +
            $"median of {settings.Rounds} interleaved rounds. Compile: clang median of {settings.ClangIterations} processes (wall); " +
            $"BpfSharp median of {settings.CompilerIterations} in-process calls after {settings.CompilerWarmup} warm-up calls.");
        s.AppendLine();
        s.AppendLine("Ratios are C# / C (lower is better). Targets: instructions ≤ 1.1×, ns/run ≤ 1.1×, compile time < 1×.");
        s.AppendLine();
        s.AppendLine("| program | xlated insns C | C# | ratio | ns/run C | C# | ratio | compile ms clang | BpfSharp | ratio |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (CaseResult r in results)
        {
            double cNs = Stats.Median(r.CNs), clang = Stats.Median(r.ClangMs);
            double? csNs = r.CsNs.Count > 0 ? Stats.Median(r.CsNs) : null;
            double? ours = r.BpfSharpMs is { Count: > 0 } t ? Stats.Median(t) : null;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Case.Title} | {r.CInstructions} | {Num(r.CsInstructions)} | {Ratio(r.CsInstructions, r.CInstructions, InstructionTarget)} " +
                $"| {cNs:0} | {Num(csNs, "0")} | {Ratio(csNs, cNs, RunTimeTarget)} " +
                $"| {clang:0.0} | {Num(ours, "0.0")} | {Ratio(ours, clang, CompileTarget, strict: true)} |");
        }
        s.AppendLine();
        s.AppendLine("✔ target met, ✘ missed; – the C# side did not compile or load (see Problems).");
        s.AppendLine();

        s.AppendLine("## Raw samples");
        s.AppendLine();
        foreach (CaseResult r in results)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- **{r.Case.Title}** (`c/{r.Case.CSource}` vs `CsPrograms` `{r.Case.CsModule}`)");
            s.AppendLine(CultureInfo.InvariantCulture, $"  - ns/run C: {string.Join(' ', r.CNs)}; C#: {(r.CsNs.Count > 0 ? string.Join(' ', r.CsNs) : "–")}");
            s.AppendLine(CultureInfo.InvariantCulture, $"  - compile ms clang: {Join(r.ClangMs)}; BpfSharp: {(r.BpfSharpMs is { } b ? Join(b) : "–")}");
        }
        s.AppendLine();
        s.AppendLine("## Problems");
        s.AppendLine();
        bool any = false;
        foreach (CaseResult r in results)
            foreach (string p in r.Problems)
            {
                any = true;
                s.AppendLine(CultureInfo.InvariantCulture, $"- {r.Case.Title}: {p.Replace("\n", "\n  ", StringComparison.Ordinal)}");
            }
        if (!any) s.AppendLine("None: both versions of every program returned the same value, wrote the same packet and left the same map state.");
        return s.ToString();
    }

    static string Join(IEnumerable<double> values) => string.Join(' ', values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)));

    static string Num(uint? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "–";

    static string Num(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";

    static string Ratio(double? cs, double c, double target, bool strict = false)
    {
        if (cs is not { } x || c <= 0) return "–";
        double ratio = x / c;
        bool met = strict ? ratio < target : ratio <= target;
        string shown = ratio.ToString(ratio < 0.1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);
        return $"{shown}× {(met ? "✔" : "✘")}";
    }
}
