namespace BpfSharp.Compiler.Diagnostics;

/// <summary>Collects diagnostics during a compilation; thread-safe so modules can compile in parallel.</summary>
public sealed class DiagnosticBag
{
    readonly List<Diagnostic> _items = [];

    public void Add(Diagnostic diagnostic) { lock (_items) _items.Add(diagnostic); }

    public void Add(DiagnosticDescriptor descriptor, Asm.SourceLocation? location, params object?[] args) =>
        Add(Diagnostic.Create(descriptor, location, args));

    public bool HasErrors { get { lock (_items) return _items.Exists(d => d.Severity == DiagnosticSeverity.Error); } }

    public IReadOnlyList<Diagnostic> ToList() { lock (_items) return [.. _items]; }
}

/// <summary>
/// Thrown inside a compilation stage to abandon the current function with one diagnostic; the driver catches
/// it, records the diagnostic and goes on with the next function, so one run reports every problem it can.
/// </summary>
public sealed class CompilationErrorException(Diagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
