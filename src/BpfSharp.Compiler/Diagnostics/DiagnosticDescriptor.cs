namespace BpfSharp.Compiler.Diagnostics;

/// <summary>One entry of the diagnostic catalog: a stable id, a title, a message format and the usual fix.</summary>
/// <param name="Id">Stable id <c>BPFnnnn</c>; never reused.</param>
/// <param name="Title">A short title for docs/diagnostics.md.</param>
/// <param name="MessageFormat">A composite format string for the message.</param>
/// <param name="Fix">What the user should do, appended to the message.</param>
public sealed record DiagnosticDescriptor(string Id, string Title, string MessageFormat, string Fix, DiagnosticSeverity Severity = DiagnosticSeverity.Error);
