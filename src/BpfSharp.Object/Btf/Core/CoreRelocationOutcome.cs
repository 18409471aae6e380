using System.Globalization;

namespace BpfSharp.Btf.Core;

/// <summary>What applying a CO-RE relocation did to its instruction.</summary>
public enum CoreRelocationAction
{
    /// <summary>The immediate, offset or 64-bit constant was set to the target's value (possibly the same value).</summary>
    Patched,
    /// <summary>
    /// The instruction became a call to the nonexistent helper <c>0xbad2310</c> (both slots of a <c>ld_imm64</c>): the
    /// field or enumerator does not exist in the target, or a load or store cannot be resized safely. The verifier
    /// rejects the program with <c>invalid func unknown#195896080</c> only if the instruction is reachable.
    /// </summary>
    Poisoned,
}

/// <summary>One applied CO-RE relocation: where, what was done, and why.</summary>
/// <param name="Slot">The instruction slot the relocation names (the verifier log numbers instructions by slot).</param>
/// <param name="InstructionIndex">The index of that instruction in the patched list (a poisoned <c>ld_imm64</c> adds an element).</param>
/// <param name="Action">What was done.</param>
/// <param name="Result">The resolution behind it.</param>
public sealed record CoreRelocationOutcome(int Slot, int InstructionIndex, CoreRelocationAction Action, CoreRelocationResult Result)
{
    /// <summary>
    /// The text libbpf puts in place of the verifier's complaint about a poisoned instruction:
    /// <c>failed to resolve CO-RE relocation &lt;byte_off&gt; [5] struct task_struct___mine.x (0:5 @ offset 40)</c>.
    /// </summary>
    public string FailureMessage => $"failed to resolve CO-RE relocation {Result.LocalSpec}";

    public override string ToString()
    {
        if (Action == CoreRelocationAction.Patched)
            return string.Create(CultureInfo.InvariantCulture, $"insn #{Slot} patched: {Result}");
        if (Result.Poison)
            return string.Create(CultureInfo.InvariantCulture, $"insn #{Slot} poisoned: {Result}");
        CoreRelocationValues v = Result.Values;
        return string.Create(CultureInfo.InvariantCulture,
            $"insn #{Slot} poisoned: {Result}; the field is {v.OriginalSize} bytes locally and {v.NewSize} in the target, and only pointers and unsigned integers can be loaded or stored with another size");
    }
}
