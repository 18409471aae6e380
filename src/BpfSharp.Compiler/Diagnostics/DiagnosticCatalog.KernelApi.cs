namespace BpfSharp.Compiler.Diagnostics;

// BPF04xx: BpfSharp.Kernel API used in ways eBPF cannot honour.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor BadProgramSignature { get; } = E("BPF0401", "Program signature",
        "Program '{0}' has signature {1}; a {2} program takes {3}.", "Change the parameters to match (see docs/compiler.md).");
    public static DiagnosticDescriptor BadMapField { get; } = E("BPF0402", "Map field",
        "[Map] field '{0}': {1}.", "A map is a static field of a BpfSharp.Kernel map type, e.g. `[Map(MaxEntries = 1024)] static HashMap<uint, ulong> Counts;`.");
    public static DiagnosticDescriptor NonConstantArgument { get; } = E("BPF0403", "Argument must be a constant",
        "'{0}': argument '{1}' of {2} must be a compile-time constant.", "Pass a literal or a const.");
}
