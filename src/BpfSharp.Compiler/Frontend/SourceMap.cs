using System.Collections.Concurrent;
using System.Reflection.Metadata;
using BpfSharp.Asm;
using BpfSharp.Compiler.Metadata;

namespace BpfSharp.Compiler.Frontend;

/// <summary>IL offsets of one method mapped to C# file, line, column and the line's text, from the portable PDB.</summary>
internal sealed class SourceMap
{
    static readonly ConcurrentDictionary<string, string[]?> FileLines = new(StringComparer.Ordinal);

    readonly (int Offset, SourceLocation Location)[] _points;

    SourceMap((int, SourceLocation)[] points) => _points = points;

    public static SourceMap Empty { get; } = new([]);

    public static SourceMap For(LoadedAssembly assembly, MethodDefinitionHandle method)
    {
        var points = new List<(int, SourceLocation)>();
        foreach (SequencePoint sp in assembly.GetSequencePoints(method))
        {
            if (sp.IsHidden) continue;
            string file = assembly.GetDocumentPath(sp.Document);
            points.Add((sp.Offset, new SourceLocation(file, sp.StartLine, sp.StartColumn, LineText(file, sp.StartLine))));
        }
        points.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return new SourceMap([.. points]);
    }

    /// <summary>The location that covers <paramref name="ilOffset"/> (the last sequence point at or before it), or null.</summary>
    public SourceLocation? At(int ilOffset)
    {
        SourceLocation? found = null;
        foreach ((int offset, SourceLocation location) in _points)
        {
            if (offset > ilOffset) break;
            found = location;
        }
        return found;
    }

    /// <summary>The location of a sequence point that starts exactly at <paramref name="ilOffset"/>, or null.</summary>
    public SourceLocation? StartingAt(int ilOffset)
    {
        foreach ((int offset, SourceLocation location) in _points)
            if (offset == ilOffset) return location;
        return null;
    }

    public SourceLocation? First => _points.Length > 0 ? _points[0].Location : null;

    static string? LineText(string file, int line)
    {
        string[]? lines = FileLines.GetOrAdd(file, f =>
        {
            try { return File.Exists(f) ? File.ReadAllLines(f) : null; }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        });
        return lines is not null && line >= 1 && line <= lines.Length ? lines[line - 1].Trim() : null;
    }
}
