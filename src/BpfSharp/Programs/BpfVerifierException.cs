using BpfSharp.Abi;

namespace BpfSharp;

/// <summary>
/// The kernel refused a program. <see cref="Log"/> holds the whole verifier log; the message quotes the decisive
/// lines (the error and the instructions just before it) and, when known, the source location of the failing instruction.
/// </summary>
public sealed class BpfVerifierException : BpfSyscallException
{
    internal BpfVerifierException(int errno, string programName, string log, string? decisive, string? source, string? emptyLogDiagnosis = null)
        : base(BpfCommand.ProgLoad, errno, $"loading program '{programName}'", Detail(log, decisive, source, emptyLogDiagnosis))
    {
        ProgramName = programName;
        Log = log;
        DecisiveLines = decisive ?? "";
        SourceLocation = source;
    }

    public string ProgramName { get; }

    /// <summary>The complete verifier log (empty when the kernel wrote none, e.g. EPERM).</summary>
    public string Log { get; }

    /// <summary>The lines of the log that say why: the error message and the instructions leading to it.</summary>
    public string DecisiveLines { get; }

    /// <summary>"file:line" of the failing instruction, when the instructions carried source locations.</summary>
    public string? SourceLocation { get; }

    /// <summary>The index of the failing instruction (in 8-byte slots), parsed from the log, or -1.</summary>
    public int InstructionIndex => Programs.VerifierLog.FailingInstruction(Log);

    /// <param name="emptyLogDiagnosis">What a refusal without a log means, when the program's kind tells (see TrampolineRefusal).</param>
    static string? Detail(string log, string? decisive, string? source, string? emptyLogDiagnosis)
    {
        if (log.Length == 0) return emptyLogDiagnosis ?? "The kernel wrote no verifier log.";
        var sb = new System.Text.StringBuilder("Verifier:");
        foreach (string line in (decisive ?? "").Split('\n'))
            sb.Append("\n  ").Append(line);
        if (source != null) sb.Append("\nat ").Append(source);
        sb.Append("\n(full log in BpfVerifierException.Log)");
        return sb.ToString();
    }
}
