namespace BpfSharp.Asm;

/// <summary>
/// Operations on a program as a sequence of instructions: slot positions (jump offsets count slots, and
/// <c>ld_imm64</c> takes two) and resolution of label references into relative offsets.
/// </summary>
public static class InstructionList
{
    /// <summary>The number of 8-byte slots the instructions occupy.</summary>
    public static int SlotCount(ReadOnlySpan<Instruction> instructions)
    {
        int slots = 0;
        foreach (ref readonly Instruction instruction in instructions)
            slots += instruction.Width;
        return slots;
    }

    /// <summary>
    /// The slot position of every instruction, plus one final entry holding the total slot count,
    /// so <c>result[i]</c> is where instruction <c>i</c> starts and <c>result[^1]</c> is the end.
    /// </summary>
    public static int[] SlotPositions(ReadOnlySpan<Instruction> instructions)
    {
        var positions = new int[instructions.Length + 1];
        for (int i = 0; i < instructions.Length; i++)
            positions[i + 1] = positions[i] + instructions[i].Width;
        return positions;
    }

    /// <summary>The slot position where instruction <paramref name="index"/> starts.</summary>
    public static int IndexToSlot(ReadOnlySpan<Instruction> instructions, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, instructions.Length);
        return SlotCount(instructions[..index]);
    }

    /// <summary>The index of the instruction starting at <paramref name="slot"/>, or -1 when the slot is outside the program or the second half of a <c>ld_imm64</c>.</summary>
    public static int SlotToIndex(ReadOnlySpan<Instruction> instructions, int slot)
    {
        int position = 0;
        for (int i = 0; i < instructions.Length && position <= slot; i++)
        {
            if (position == slot)
                return i;
            position += instructions[i].Width;
        }
        return -1;
    }

    /// <summary>
    /// The index of the instruction that the jump, BPF-to-BPF call or <c>ld_imm64</c> function address at
    /// <paramref name="index"/> targets, or null when it has no target or the target is not an instruction start.
    /// </summary>
    public static int? TargetIndex(ReadOnlySpan<Instruction> instructions, int index)
    {
        if (instructions[index].RelativeTarget is not { } relative)
            return null;
        long target = (long)IndexToSlot(instructions, index) + 1 + relative;
        if (target is < 0 or > int.MaxValue)
            return null;
        int targetIndex = SlotToIndex(instructions, (int)target);
        return targetIndex < 0 ? null : targetIndex;
    }

    /// <summary>
    /// Sets the offset of every jump, BPF-to-BPF call and <c>ld_imm64</c> function address that has a
    /// <see cref="InstructionMetadata.Reference"/> to the instruction defining that <see cref="InstructionMetadata.Symbol"/>.
    /// Other references (maps, kfuncs) are left for relocation.
    /// </summary>
    /// <exception cref="BpfAsmException">A symbol is defined twice, a label is unknown, or a jump is too long for 16 bits.</exception>
    public static void ResolveReferences(Span<Instruction> instructions)
    {
        var symbols = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < instructions.Length; i++)
        {
            if (instructions[i].Symbol is not { } symbol)
                continue;
            if (!symbols.TryAdd(symbol, i))
                throw new BpfAsmException($"symbol '{symbol}' is defined at instruction {symbols[symbol]} and again at instruction {i}.");
        }
        ResolveReferences(instructions, symbols);
    }

    /// <summary>Resolves label references against <paramref name="labels"/> (label → instruction index); see <see cref="ResolveReferences(Span{Instruction})"/>.</summary>
    public static void ResolveReferences(Span<Instruction> instructions, IReadOnlyDictionary<string, int> labels)
    {
        int[] positions = SlotPositions(instructions);
        for (int i = 0; i < instructions.Length; i++)
        {
            ref Instruction instruction = ref instructions[i];
            if (instruction.Reference is not { } reference || instruction.RelativeTarget is null)
                continue;
            if (!labels.TryGetValue(reference, out int target) || (uint)target >= (uint)instructions.Length)
                throw new BpfAsmException($"instruction {i} ('{Disassembler.Format(instruction)}') refers to unknown label '{reference}'.");

            int relative = positions[target] - (positions[i] + 1);
            try
            {
                instruction = instruction.WithRelativeTarget(relative);
            }
            catch (BpfAsmException e)
            {
                throw new BpfAsmException($"instruction {i}: {e.Message}", e);
            }
        }
    }
}
