namespace BpfSharp.Compiler.Diagnostics;

// BPF01xx: C# constructs the frontend cannot lower to eBPF.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor UnsupportedInstruction { get; } = E("BPF0101", "Unsupported IL instruction",
        "'{0}' uses {1}, which has no eBPF equivalent.", "Rewrite the code without it (see docs/diagnostics.md).");
    public static DiagnosticDescriptor Allocation { get; } = E("BPF0102", "Allocation",
        "'{0}' allocates ({1}); eBPF programs have no managed heap.",
        "Use a struct local, a stackalloc of constant size, a map value or a ring buffer reservation.");
    public static DiagnosticDescriptor StringUse { get; } = E("BPF0103", "String",
        "'{0}' uses a string ({1}); strings exist only as the format of Helpers.TracePrintk.",
        "Use a fixed buffer or an [InlineArray] of bytes.");
    public static DiagnosticDescriptor VirtualCall { get; } = E("BPF0104", "Virtual or interface call",
        "'{0}' calls {1} virtually; eBPF has no dynamic dispatch.", "Call a static method or a method of a struct directly.");
    public static DiagnosticDescriptor ExceptionHandling { get; } = E("BPF0105", "Exception handling",
        "'{0}' uses {1}; eBPF programs cannot catch exceptions.",
        "Remove try/catch/finally (and `using`, `foreach` over disposables, `lock`); check conditions instead.");
    public static DiagnosticDescriptor FloatingPoint { get; } = E("BPF0106", "Floating point",
        "'{0}' uses floating point ({1}); eBPF has no floating-point instructions.", "Use integers (fixed-point arithmetic).");
    public static DiagnosticDescriptor Recursion { get; } = E("BPF0107", "Recursion",
        "'{0}' is recursive ({1}); eBPF forbids recursive calls.", "Rewrite it as a bounded loop.");
    public static DiagnosticDescriptor TooManyArguments { get; } = E("BPF0108", "Too many arguments",
        "'{0}' takes {1} arguments; a BPF-to-BPF call passes at most 5.",
        "Pass a struct by `ref` or `in` instead of several values, or let it be inlined (remove [MethodImpl(NoInlining)]).");
    public static DiagnosticDescriptor UnsupportedCall { get; } = E("BPF0109", "Unsupported method",
        "'{0}' calls {1}, which cannot run in an eBPF program.", "Only the module's own static methods, struct methods, BpfSharp.Kernel APIs, Unsafe, Interlocked and MemoryMarshal helpers listed in docs/diagnostics.md are available.");
    public static DiagnosticDescriptor ManagedReference { get; } = E("BPF0110", "Managed object",
        "'{0}' uses an object of reference type {1}; only maps (in [Map] fields) may be reference types.",
        "Use a struct instead of a class, array or delegate.");
    public static DiagnosticDescriptor UnboundedStackalloc { get; } = E("BPF0111", "stackalloc of unknown size",
        "'{0}' uses stackalloc with a size that is not a constant.", "Use a constant size (the stack is 512 bytes).");
    public static DiagnosticDescriptor StaticConstructor { get; } = E("BPF0112", "Unsupported static initializer",
        "A static field initializer of '{0}' is not a constant ({1}).", "Initialise module statics with literals or consts; compute other start values in a program.");
    public static DiagnosticDescriptor MethodBodyMissing { get; } = E("BPF0113", "No method body",
        "'{0}' calls {1}, which has no IL body (extern, abstract or runtime-implemented).", "Call a method with a C# body or a BpfSharp.Kernel API.");
}
