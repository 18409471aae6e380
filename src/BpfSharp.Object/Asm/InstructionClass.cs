namespace BpfSharp.Asm;

/// <summary>The instruction class: the low three bits of an opcode.</summary>
public enum InstructionClass : byte
{
    /// <summary>Non-standard loads: <c>ld_imm64</c> and the legacy packet loads.</summary>
    Ld = 0x00,
    /// <summary>Loads from memory into a register.</summary>
    Ldx = 0x01,
    /// <summary>Stores of an immediate into memory.</summary>
    St = 0x02,
    /// <summary>Stores of a register into memory, and atomics.</summary>
    Stx = 0x03,
    /// <summary>32-bit arithmetic.</summary>
    Alu = 0x04,
    /// <summary>64-bit jumps, calls and exit.</summary>
    Jmp = 0x05,
    /// <summary>32-bit jumps.</summary>
    Jmp32 = 0x06,
    /// <summary>64-bit arithmetic.</summary>
    Alu64 = 0x07,
}
