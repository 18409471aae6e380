using System.Globalization;
using BpfSharp.Asm;

namespace BpfSharp.Compiler.Diagnostics;

/// <summary>A compiler message about the user's C#: what, where, how to fix.</summary>
public sealed record Diagnostic(DiagnosticDescriptor Descriptor, string Message, SourceLocation? Location)
{
    public string Id => Descriptor.Id;
    public DiagnosticSeverity Severity => Descriptor.Severity;

    /// <summary>Creates a diagnostic from the catalog entry with its format arguments.</summary>
    public static Diagnostic Create(DiagnosticDescriptor descriptor, SourceLocation? location, params object?[] args) =>
        new(descriptor, string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args), location);

    /// <summary>MSBuild's form: <c>file(line,col): error BPFnnnn: message fix</c>.</summary>
    public override string ToString()
    {
        string where = Location is { } l ? $"{l.File}({l.Line},{Math.Max(1, l.Column)}): " : "";
        string severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        string fix = string.IsNullOrEmpty(Descriptor.Fix) ? "" : " " + Descriptor.Fix;
        return $"{where}{severity} {Id}: {Message}{fix}";
    }
}
