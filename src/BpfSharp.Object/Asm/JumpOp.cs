namespace BpfSharp.Asm;

/// <summary>The operation of a JMP or JMP32 instruction: the high four bits of its opcode.</summary>
public enum JumpOp : byte
{
    /// <summary>Unconditional jump (<c>goto</c>; <c>gotol</c> in the JMP32 class).</summary>
    Always = 0x00,
    Equal = 0x10,
    Greater = 0x20,
    GreaterOrEqual = 0x30,
    /// <summary>Jump if <c>dst &amp; src</c> is non-zero.</summary>
    BitsSet = 0x40,
    NotEqual = 0x50,
    SignedGreater = 0x60,
    SignedGreaterOrEqual = 0x70,
    Call = 0x80,
    Exit = 0x90,
    Less = 0xa0,
    LessOrEqual = 0xb0,
    SignedLess = 0xc0,
    SignedLessOrEqual = 0xd0,
    /// <summary>Pseudo-conditional jump (<c>BPF_JCOND</c>); source 0 is <c>may_goto</c>.</summary>
    Conditional = 0xe0,
}
