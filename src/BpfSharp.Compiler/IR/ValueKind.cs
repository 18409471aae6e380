namespace BpfSharp.Compiler.IR;

/// <summary>
/// The register class of a virtual register. Every class occupies one 64-bit eBPF register; the class says
/// which bits are meaningful and whether the verifier may see a pointer in it.
/// </summary>
public enum ValueKind
{
    /// <summary>
    /// A 32-bit integer (C#'s int, uint, and the narrower types after widening). Only the low 32 bits are
    /// meaningful; the upper half is unspecified unless the defining instruction zeroes it (ALU32 ops and
    /// loads do). A 64-bit use goes through an explicit <see cref="ExtendInstruction"/>.
    /// </summary>
    I32,

    /// <summary>A 64-bit integer (long, ulong, nint, nuint).</summary>
    I64,

    /// <summary>A pointer (or a ref, or a map): 64 bits the verifier tracks as a pointer. Never a 32-bit operand.</summary>
    Ptr,
}
