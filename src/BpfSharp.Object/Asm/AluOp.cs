namespace BpfSharp.Asm;

/// <summary>The operation of an ALU or ALU64 instruction: the high four bits of its opcode.</summary>
public enum AluOp : byte
{
    Add = 0x00,
    Sub = 0x10,
    Mul = 0x20,
    /// <summary>Unsigned division; signed when the offset is 1.</summary>
    Div = 0x30,
    Or = 0x40,
    And = 0x50,
    Lsh = 0x60,
    Rsh = 0x70,
    Neg = 0x80,
    /// <summary>Unsigned modulo; signed when the offset is 1.</summary>
    Mod = 0x90,
    Xor = 0xa0,
    /// <summary>Move; sign-extending when the offset is 8, 16 or 32.</summary>
    Mov = 0xb0,
    Arsh = 0xc0,
    /// <summary>Byte swap (<c>BPF_END</c>).</summary>
    End = 0xd0,
}
