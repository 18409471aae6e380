using BpfSharp.Compiler.Diagnostics;

namespace BpfSharp.Compiler;

/// <summary>A module given to <c>BpfObject.Load&lt;TModule&gt;()</c> did not compile; <see cref="Diagnostics"/> says what and where.</summary>
public sealed class BpfCompilationException(Type module, IReadOnlyList<Diagnostic> diagnostics)
    : BpfException($"{module.FullName} does not compile to eBPF:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))}")
{
    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;
}
