namespace BpfSharp.Asm;

/// <summary>
/// One eBPF instruction: 8 bytes of bytecode, or 16 for <c>ld_imm64</c>, plus optional metadata
/// (symbol, reference, source location) that the compiler, assembler and loader share.
/// </summary>
/// <param name="OpCode">The opcode.</param>
/// <param name="Dst">The destination register field.</param>
/// <param name="Src">The source register field; for calls and <c>ld_imm64</c> it selects a pseudo source.</param>
/// <param name="Offset">The signed 16-bit offset field.</param>
/// <param name="Constant">
/// The immediate: the sign-extended 32-bit <c>imm</c>, or for <c>ld_imm64</c> the full 64 bits
/// (low half in the first slot, high half in the second).
/// </param>
/// <param name="Metadata">Data that is not encoded, or null.</param>
public readonly partial record struct Instruction(
    OpCode OpCode,
    Register Dst,
    Register Src,
    short Offset,
    long Constant,
    InstructionMetadata? Metadata = null)
{
    /// <summary>The size of one instruction slot in bytes.</summary>
    public const int SlotSize = 8;

    /// <summary>The 32-bit immediate: the low half of <see cref="Constant"/>.</summary>
    public int Immediate => unchecked((int)Constant);

    /// <summary>The instruction class.</summary>
    public InstructionClass Class => OpCode.Class;

    /// <summary>True for the 16-byte <c>ld_imm64</c> (<c>BPF_LD | BPF_DW | BPF_IMM</c>).</summary>
    public bool IsLoadImm64 => OpCode.Value == OpCode.LoadImm64.Value;

    /// <summary>The number of 8-byte slots the instruction occupies: 2 for <c>ld_imm64</c>, else 1.</summary>
    public int Width => IsLoadImm64 ? 2 : 1;

    /// <summary>What the immediate of a <c>ld_imm64</c> means.</summary>
    public LoadImm64Source LoadImm64Source => (LoadImm64Source)Src;

    /// <summary>
    /// The offset into the map value for <c>ld_imm64</c> with <see cref="LoadImm64Source.MapValue"/>
    /// or <see cref="LoadImm64Source.MapIndexValue"/>: the high half of <see cref="Constant"/>.
    /// </summary>
    public int MapValueOffset => (int)(Constant >> 32);

    /// <summary>True for <c>call</c> of any kind.</summary>
    public bool IsCall => OpCode.Value == OpCode.Call.Value;

    /// <summary>What a <c>call</c> calls.</summary>
    public CallKind CallKind => (CallKind)Src;

    /// <summary>True for a helper call; <see cref="Immediate"/> is the helper id.</summary>
    public bool IsHelperCall => IsCall && CallKind == CallKind.Helper;

    /// <summary>True for a BPF-to-BPF call; <see cref="Immediate"/> is the offset in slots from the next instruction.</summary>
    public bool IsBpfCall => IsCall && CallKind == CallKind.Subprogram;

    /// <summary>True for a kfunc call; <see cref="Immediate"/> is the BTF id, <see cref="Offset"/> the fd-array index of its BTF.</summary>
    public bool IsKfuncCall => IsCall && CallKind == CallKind.Kfunc;

    /// <summary>True for <c>exit</c>.</summary>
    public bool IsExit => OpCode.Value == OpCode.Exit.Value;

    /// <summary>True for every jump (conditional, <c>goto</c>, <c>gotol</c>, <c>may_goto</c>), but not call or exit.</summary>
    public bool IsJump => OpCode.IsJumpClass && OpCode.JumpOp is not (JumpOp.Call or JumpOp.Exit);

    /// <summary>True for <c>gotol</c>: the jump whose target offset is the 32-bit immediate instead of the 16-bit offset.</summary>
    public bool IsLongJump => OpCode.Value == (byte)((byte)JumpOp.Always | (byte)InstructionClass.Jmp32);

    /// <summary>True for a jump whose condition is always true (<c>goto</c> or <c>gotol</c>).</summary>
    public bool IsUnconditionalJump =>
        IsLongJump || OpCode.Value == (byte)((byte)JumpOp.Always | (byte)InstructionClass.Jmp);

    /// <summary>
    /// The target of a jump, BPF-to-BPF call or <c>ld_imm64</c> function address, as an offset in slots from
    /// the slot after this instruction; null for any other instruction.
    /// </summary>
    public int? RelativeTarget => IsLongJump || IsBpfCall || (IsLoadImm64 && LoadImm64Source == LoadImm64Source.Function)
        ? Immediate
        : IsJump ? Offset : null;

    /// <summary>The symbol defined at this instruction, if any.</summary>
    public string? Symbol => Metadata?.Symbol;

    /// <summary>The symbol this instruction refers to, if any.</summary>
    public string? Reference => Metadata?.Reference;

    /// <summary>The source location, if any.</summary>
    public SourceLocation? Source => Metadata?.Source;

    /// <summary>A copy that defines <paramref name="symbol"/> at this instruction.</summary>
    public Instruction WithSymbol(string? symbol) => WithMetadata((Metadata ?? InstructionMetadata.Empty) with { Symbol = symbol });

    /// <summary>A copy that refers to <paramref name="reference"/>.</summary>
    public Instruction WithReference(string? reference) => WithMetadata((Metadata ?? InstructionMetadata.Empty) with { Reference = reference });

    /// <summary>A copy with the given source location.</summary>
    public Instruction WithSource(SourceLocation? source) => WithMetadata((Metadata ?? InstructionMetadata.Empty) with { Source = source });

    /// <summary>A copy with the given metadata; empty metadata is stored as null.</summary>
    public Instruction WithMetadata(InstructionMetadata? metadata) =>
        this with { Metadata = metadata is null || metadata.IsEmpty ? null : metadata };

    /// <summary>A copy with the jump, call or function-address target set to <paramref name="relativeSlots"/>.</summary>
    /// <exception cref="InvalidOperationException">The instruction has no relative target.</exception>
    /// <exception cref="BpfAsmException">The offset does not fit in the 16-bit offset field of a short jump.</exception>
    public Instruction WithRelativeTarget(int relativeSlots)
    {
        if (IsLoadImm64 && LoadImm64Source == LoadImm64Source.Function)
            return this with { Constant = (uint)relativeSlots }; // the second slot's imm stays 0
        if (IsLongJump || IsBpfCall)
            return this with { Constant = relativeSlots };
        if (!IsJump)
            throw new InvalidOperationException($"'{Disassembler.Format(this)}' has no jump target.");
        if (relativeSlots is < short.MinValue or > short.MaxValue)
            throw new BpfAsmException(
                $"jump offset {relativeSlots} does not fit in 16 bits{(Reference is { } r ? $" (target '{r}')" : "")}; use gotol for long jumps");
        return this with { Offset = (short)relativeSlots };
    }

    /// <summary>The instruction in the verifier log's syntax.</summary>
    public override string ToString() => Disassembler.Format(this);
}
