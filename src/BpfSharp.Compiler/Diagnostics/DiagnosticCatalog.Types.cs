namespace BpfSharp.Compiler.Diagnostics;

// BPF02xx: types in maps and globals, and the map-type rules of docs/map-types.md.
public static partial class DiagnosticCatalog
{
    public static DiagnosticDescriptor MapTypeRule { get; } = E("BPF0201", "Type not allowed in a map",
        "{0}", "");
}
