namespace BpfSharp.Compiler.Diagnostics;

// BPF04xx: BpfSharp.Kernel API used in ways eBPF cannot honour.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor BadProgramSignature { get; } = E("BPF0401", "Program signature",
        "Program '{0}' has signature {1}; a {2} program takes {3}.", "Change the parameters to match (docs/kernel-api.md lists each program kind's context).");
    public static DiagnosticDescriptor BadMapField { get; } = E("BPF0402", "Map field",
        "[Map] field '{0}': {1}.", "A map is a static field of a BpfSharp.Kernel map type, e.g. `[Map(MaxEntries = 1024)] static HashMap<uint, ulong> Counts;`.");
    public static DiagnosticDescriptor NonConstantArgument { get; } = E("BPF0403", "Argument must be a constant",
        "'{0}': argument '{1}' of {2} must be a compile-time constant.", "Pass a literal or a const.");
    public static DiagnosticDescriptor BadProgramAttributeArgument { get; } = E("BPF0404", "Program attribute argument",
        "Program '{0}': {1}.", "Pass the names the kernel uses, e.g. [Tracepoint(\"syscalls\", \"sys_enter_openat\")] or [Kprobe(\"do_unlinkat\")] (see docs/kernel-api.md).");
    public static DiagnosticDescriptor UnknownProgramSection { get; } = E("BPF0405", "Unknown program section",
        "Program '{0}': section '{1}' is not one of libbpf's SEC conventions, so no loader can tell its program type.",
        "Use a dedicated attribute ([Xdp], [Tc], [Tracepoint], …) or a section name from libbpf's table (docs/kernel-api.md lists both).");
    public static DiagnosticDescriptor SeveralProgramAttributes { get; } = E("BPF0406", "Several program attributes",
        "Method '{0}' has several program attributes ({1}); a method is one program of one kind.",
        "Keep one attribute; write a second method (it may call the first) for another kind.");
}
