using BpfSharp.Compiler.Diagnostics;

namespace BpfSharp.Compiler;

/// <summary>One compiled <c>[BpfModule]</c> class.</summary>
/// <param name="Name">The module's name (its class name); the object file is <c>NAME.bpf.o</c>.</param>
/// <param name="ClassName">The module class's full C# name.</param>
/// <param name="ObjectBytes">The ELF object.</param>
public sealed record CompiledModule(string Name, string ClassName, byte[] ObjectBytes)
{
    /// <summary>The file name for the object: <c>NAME.bpf.o</c>.</summary>
    public string FileName => Name + ".bpf.o";
}

/// <summary>The modules a compilation produced and every diagnostic it reported.</summary>
public sealed record CompilationResult(IReadOnlyList<CompiledModule> Modules, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>True when no error was reported (warnings allowed).</summary>
    public bool Success => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The module named <paramref name="name"/> (class name or full name).</summary>
    public CompiledModule Module(string name) =>
        Modules.FirstOrDefault(m => m.Name == name || m.ClassName == name)
        ?? throw new KeyNotFoundException($"No module '{name}' was compiled; the compilation produced: {string.Join(", ", Modules.Select(m => m.Name))}." +
            (Success ? "" : " Errors: " + string.Join(Environment.NewLine, Errors)));
}
