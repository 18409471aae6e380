using System.Runtime.CompilerServices;
using BpfSharp.Compiler.Diagnostics;
using Xunit;

namespace BpfSharp.Compiler.Tests.DiagnosticChecks;

/// <summary>Compiles one module of DiagnosticModules.cs and checks the diagnostic its marker comment names.</summary>
internal static class DiagnosticAssert
{
    static readonly string ModulesFile = Path.Combine(Path.GetDirectoryName(ThisFile())!, "DiagnosticModules.cs");

    static string ThisFile([CallerFilePath] string path = "") => path;

    /// <summary>
    /// Asserts that compiling <paramref name="module"/> reports <paramref name="id"/> with <paramref name="severity"/>
    /// at the line of <paramref name="module"/> marked <c>// id</c>, and that the message contains every one of
    /// <paramref name="named"/>.
    /// </summary>
    public static Diagnostic Reports(Type module, string id, DiagnosticSeverity severity, params string[] named)
    {
        Diagnostic d = Find(module, id, severity, named);
        Assert.True(d.Location is not null, $"{id} has no source location: {d}");
        Assert.Equal(Path.GetFullPath(ModulesFile), Path.GetFullPath(d.Location!.File));
        Assert.Equal(MarkerLine(module.Name, id), d.Location.Line);
        return d;
    }

    /// <summary>As <see cref="Reports"/> for diagnostics about a module or a field, which the PDB gives no line for.</summary>
    public static Diagnostic ReportsWithoutLine(Type module, string id, DiagnosticSeverity severity, params string[] named)
    {
        Diagnostic d = Find(module, id, severity, named);
        MarkerLine(module.Name, id); // the example is marked all the same, so docs and tests point at the same line
        return d;
    }

    static Diagnostic Find(Type module, string id, DiagnosticSeverity severity, string[] named)
    {
        CompilationResult result = BpfCompiler.Compile(module);
        string all = string.Join(Environment.NewLine, result.Diagnostics);
        Diagnostic? d = result.Diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"{module.Name}: expected {id}, got:{Environment.NewLine}{all}");
        Assert.Equal(severity, d!.Severity);
        Assert.DoesNotContain(result.Diagnostics, x => x.Id == DiagnosticCatalog.InternalError.Id);
        foreach (string part in named) Assert.Contains(part, d.Message, StringComparison.Ordinal);
        Assert.Contains(d.Descriptor.Fix, d.ToString(), StringComparison.Ordinal);
        Assert.Equal(severity == DiagnosticSeverity.Error, !result.Success);
        return d;
    }

    /// <summary>The 1-based line, after <c>class ModuleName</c>, that carries the comment <c>// id</c>.</summary>
    public static int MarkerLine(string moduleName, string id)
    {
        string[] lines = File.ReadAllLines(ModulesFile);
        int start = Array.FindIndex(lines, l => l.Contains($" class {moduleName}", StringComparison.Ordinal)
            && (l.EndsWith(moduleName, StringComparison.Ordinal) || l.Contains($" class {moduleName} ", StringComparison.Ordinal)));
        Assert.True(start >= 0, $"no class {moduleName} in {ModulesFile}");
        // The marker may sit on the class line itself or on a line of the class body.
        for (int i = start; i < lines.Length; i++)
        {
            if (lines[i].Contains("// " + id, StringComparison.Ordinal)) return i + 1;
            if (i > start && lines[i].StartsWith("[BpfModule]", StringComparison.Ordinal)) break;
        }
        Assert.Fail($"class {moduleName} has no line marked // {id}");
        return 0;
    }
}
