namespace BpfSharp.Compiler.Diagnostics;

public enum DiagnosticSeverity { Warning, Error }
