namespace BpfSharp.Compiler.Diagnostics;

// BPF00xx: modules, assemblies, the driver.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor AssemblyUnreadable { get; } = E("BPF0001", "Assembly cannot be read",
        "'{0}' cannot be read as a .NET assembly ({1})", "Pass the .dll that `dotnet build` produced, with its .pdb next to it.");
    public static DiagnosticDescriptor NoPdb { get; } = W("BPF0002", "No portable PDB",
        "No portable PDB found for '{0}'; line info and diagnostics will have no source locations.",
        "Build with <DebugType>portable</DebugType> (the default) or embedded, and keep the .pdb next to the .dll.");
    public static DiagnosticDescriptor NoModules { get; } = E("BPF0003", "No [BpfModule] class",
        "'{0}' has no class marked [BpfModule].", "Mark a static class with [BpfModule(License = \"GPL\")].");
    public static DiagnosticDescriptor NoPrograms { get; } = W("BPF0004", "Module without programs",
        "Module '{0}' has no program method (a static method with a program attribute such as [Xdp] or [Tracepoint]).",
        "Add a program attribute to a static method of the module.");
    public static DiagnosticDescriptor ModuleNotStatic { get; } = E("BPF0005", "Module class has instance state",
        "[BpfModule] class '{0}' has instance fields; programs, maps and globals are static members.", "Make every member static (a `static class`, or a `sealed class` with only static members to use BpfObject.Load<TModule>()).");
    public static DiagnosticDescriptor DuplicateSymbol { get; } = E("BPF0006", "Duplicate name",
        "'{0}' is used by two members of module '{1}' once mapped to C identifiers ({2}).", "Rename one of them.");
    public static DiagnosticDescriptor InternalError { get; } = E("BPF0099", "Internal compiler error",
        "The compiler failed on '{0}': {1}", "This is a BpfSharp bug; please report it with the C# that triggers it.");
}
