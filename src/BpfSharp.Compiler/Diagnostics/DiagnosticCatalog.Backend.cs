namespace BpfSharp.Compiler.Diagnostics;

// BPF03xx: limits met during code generation.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StackTooLarge { get; } = E("BPF0301", "Stack frame too large",
        "'{0}' needs {1} bytes of stack; eBPF allows 512 per program (all frames of a call chain together).",
        "Move large buffers into a per-CPU array map value or a ring buffer reservation.");

    public static DiagnosticDescriptor OffsetOutOfRange { get; } = E("BPF0302", "Memory offset out of range",
        "A memory access in '{0}' uses offset {1}, which does not fit the instruction's signed 16-bit offset.",
        "Compute the address with pointer arithmetic checked against the object's bounds, or split the structure.");

    public static DiagnosticDescriptor PointerTruncated { get; } = E("BPF0303", "Pointer truncated to 32 bits",
        "'{0}' zero-extends the low 32 bits of a pointer; the verifier forbids 32-bit operations on pointers.",
        "Keep pointers 64-bit (nint/nuint or a pointer type); convert to an integer only through a 64-bit cast.");
}
