using System.Globalization;
using BpfSharp.Asm;

namespace BpfSharp.Btf.Core;

/// <summary>
/// The poisoned instruction libbpf substitutes for a CO-RE relocation that cannot be satisfied, and how to recognise
/// it again in a verifier log.
/// </summary>
public static class CorePoison
{
    /// <summary>The helper id of the poison call: <c>0xbad2310</c> ("bad relo"), 195896080.</summary>
    public const int HelperId = 0xbad2310;

    /// <summary>
    /// A call of helper <see cref="HelperId"/> with every other field zero. The verifier removes it as dead code when
    /// it is unreachable, and otherwise fails with <c>invalid func unknown#195896080</c>.
    /// </summary>
    public static Instruction Instruction(InstructionMetadata? metadata = null) =>
        new(OpCode.Call, Register.R0, Register.R0, 0, HelperId, metadata);

    /// <summary>True for the poison call.</summary>
    public static bool IsPoison(in Instruction instruction) =>
        instruction.IsCall && instruction.Src == Register.R0 && instruction.Constant == HelperId;

    /// <summary>
    /// Finds the relocation behind a verifier rejection of a poisoned instruction: the log line
    /// <c>N: (85) call unknown#195896080</c> followed by <c>invalid func unknown#195896080</c> names slot N.
    /// </summary>
    /// <returns>The poisoned relocation at that slot, or null when the log does not end that way.</returns>
    public static CoreRelocationOutcome? FindFailedRelocation(string verifierLog, IReadOnlyList<CoreRelocationOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(verifierLog);
        ArgumentNullException.ThrowIfNull(outcomes);
        const string CallText = ": (85) call unknown#195896080";
        const string InvalidText = "invalid func unknown#195896080";
        string[] lines = verifierLog.Split('\n');
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (!lines[i + 1].StartsWith(InvalidText, StringComparison.Ordinal)) continue;
            int colon = lines[i].IndexOf(CallText, StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(lines[i].AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int slot)) continue;
            foreach (CoreRelocationOutcome outcome in outcomes)
                if (outcome.Slot == slot && outcome.Action == CoreRelocationAction.Poisoned)
                    return outcome;
        }
        return null;
    }
}
