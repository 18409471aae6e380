namespace BpfSharp.Asm;

/// <summary>Where the second operand of an ALU or jump instruction comes from: bit 3 of its opcode.</summary>
public enum OperandSource : byte
{
    /// <summary>The 32-bit immediate (<c>BPF_K</c>); for <c>BPF_END</c> in the ALU class, to little-endian.</summary>
    Immediate = 0x00,
    /// <summary>The source register (<c>BPF_X</c>); for <c>BPF_END</c> in the ALU class, to big-endian.</summary>
    Register = 0x08,
}
