using System.Reflection.Metadata;

namespace BpfSharp.Compiler.Frontend;

/// <summary>One decoded IL instruction. Prefixes (constrained., volatile., unaligned., readonly., tail.) are folded into the next instruction.</summary>
internal readonly record struct IlInstruction(int Offset, int Length, ILOpCode OpCode, long Operand, EntityHandle Token, int[]? Targets)
{
    public int Next => Offset + Length;

    /// <summary>For <c>constrained.</c>-prefixed calls: the constraint type token.</summary>
    public EntityHandle Constrained { get; init; }

    /// <summary>The branch target for branch instructions.</summary>
    public int Target => (int)Operand;

    public override string ToString() => $"IL_{Offset:x4}: {OpCode}";
}
