namespace BpfSharp.Asm;

/// <summary>An eBPF register: R0 (return value), R1–R5 (arguments), R6–R9 (callee-saved), R10 (read-only frame pointer).</summary>
/// <remarks>Decoded instructions keep the raw 4-bit register fields, so values 11–15 can occur in malformed input.</remarks>
public enum Register : byte
{
    R0 = 0,
    R1 = 1,
    R2 = 2,
    R3 = 3,
    R4 = 4,
    R5 = 5,
    R6 = 6,
    R7 = 7,
    R8 = 8,
    R9 = 9,
    /// <summary>The read-only frame pointer.</summary>
    R10 = 10,
}
