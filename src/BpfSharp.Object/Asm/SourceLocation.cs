namespace BpfSharp.Asm;

/// <summary>Where an instruction came from in source code, for BTF line info and diagnostics.</summary>
/// <param name="File">The source file path.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column number, or 0 when unknown.</param>
/// <param name="LineText">The text of the source line, when known.</param>
public sealed record SourceLocation(string File, int Line, int Column = 0, string? LineText = null);
