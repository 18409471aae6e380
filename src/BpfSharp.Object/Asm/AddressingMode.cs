namespace BpfSharp.Asm;

/// <summary>The mode of a load or store: the high three bits of its opcode.</summary>
public enum AddressingMode : byte
{
    /// <summary>64-bit immediate (<c>ld_imm64</c>).</summary>
    Immediate = 0x00,
    /// <summary>Legacy packet load at a constant offset.</summary>
    Absolute = 0x20,
    /// <summary>Legacy packet load at a register plus a constant offset.</summary>
    Indirect = 0x40,
    /// <summary>Regular memory access.</summary>
    Memory = 0x60,
    /// <summary>Sign-extending load.</summary>
    MemorySignExtend = 0x80,
    /// <summary>Atomic operation; the operation is in the immediate.</summary>
    Atomic = 0xc0,
}
