namespace BpfSharp.Compiler.Diagnostics;

// BPF03xx: limits met during code generation.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor StackTooLarge { get; } = E("BPF0301", "Stack frame too large",
        "'{0}' needs {1} bytes of stack; eBPF allows 512 per program (all frames of a call chain together).",
        "Move large buffers into a per-CPU array map value or a ring buffer reservation.");
}
