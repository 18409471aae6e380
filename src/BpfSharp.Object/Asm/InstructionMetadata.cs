namespace BpfSharp.Asm;

/// <summary>Optional, immutable data attached to an instruction; none of it is encoded into bytecode.</summary>
public sealed record InstructionMetadata
{
    /// <summary>Metadata with nothing set.</summary>
    public static InstructionMetadata Empty { get; } = new();

    /// <summary>A symbol (label, function or section-relative name) defined at this instruction.</summary>
    public string? Symbol { get; init; }

    /// <summary>
    /// The symbol this instruction refers to: a jump or subprogram call target, a <c>ld_imm64</c>
    /// function address, or a map or kfunc that a later relocation step fills in.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>The source location the instruction was generated from.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>True when nothing is set.</summary>
    public bool IsEmpty => Symbol is null && Reference is null && Source is null;
}
