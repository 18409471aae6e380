using System.Text.RegularExpressions;

namespace BpfSharp.Programs;

/// <summary>Reading the verifier log: which lines decide, and which instruction failed.</summary>
static partial class VerifierLog
{
    [GeneratedRegex(@"^(\d+): \([0-9a-f]{2}\)")]
    private static partial Regex InstructionLine();

    // Lines the verifier prints after the verdict; they are summaries, not the reason.
    static readonly string[] Trailers = ["processed ", "verification time", "stack depth", "max_states_per_insn", "Func#", "mark_precise"];

    /// <summary>The error line plus up to <paramref name="context"/> lines before it.</summary>
    public static string? Decisive(string log, int context = 4)
    {
        string[] lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int error = -1;
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            if (Array.Exists(Trailers, t => lines[i].StartsWith(t, StringComparison.Ordinal))) continue;
            error = i;
            break;
        }
        if (error < 0) return null;
        int start = Math.Max(0, error - context);
        return string.Join('\n', lines[start..(error + 1)]);
    }

    /// <summary>The slot index of the last instruction the log shows before the error, or -1.</summary>
    public static int FailingInstruction(string log)
    {
        int last = -1;
        foreach (string line in log.Split('\n'))
        {
            Match m = InstructionLine().Match(line.Trim());
            if (m.Success) last = int.Parse(m.Groups[1].Value);
        }
        return last;
    }
}
