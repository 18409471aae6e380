namespace BpfSharp.Compiler.Diagnostics;

/// <summary>
/// Every diagnostic the compiler can report, with stable ids. Ranges by stage, one partial file each:
/// BPF00xx modules and driver, BPF01xx C# constructs (frontend), BPF02xx types and map rules,
/// BPF03xx code generation (backend), BPF04xx kernel API usage. docs/diagnostics.md lists every entry
/// with an example; a test checks that the two agree.
/// </summary>
public static partial class DiagnosticCatalog
{
    static DiagnosticDescriptor E(string id, string title, string format, string fix) => new(id, title, format, fix);
    static DiagnosticDescriptor W(string id, string title, string format, string fix) => new(id, title, format, fix, DiagnosticSeverity.Warning);

    /// <summary>Every descriptor, found by reflection over this class's static properties.</summary>
    /// <remarks>
    /// Computed on first use: static initializers of partial files run in file order, so an eager list could read
    /// descriptors of a later file before they are set.
    /// </remarks>
    public static IReadOnlyList<DiagnosticDescriptor> All => all.Value;

    static readonly Lazy<IReadOnlyList<DiagnosticDescriptor>> all = new(() =>
        [.. typeof(DiagnosticCatalog).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
            .Select(p => (DiagnosticDescriptor)p.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal)]);
}
