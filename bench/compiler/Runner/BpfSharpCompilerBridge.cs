using BpfSharp.Compiler;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>What compiling one [BpfModule] class gave: its object, or the diagnostics that stopped it.</summary>
sealed record CSharpCompilation(byte[]? ObjectBytes, IReadOnlyList<string> Diagnostics);

/// <summary>
/// The one place the benchmark calls the BpfSharp compiler:
/// <c>BpfCompiler.CompileFile(assemblyPath, new CompilerOptions { Module = name })</c>, exactly as timed.
/// </summary>
static class BpfSharpCompilerBridge
{
    /// <summary>Compiles the module class <paramref name="module"/> (simple name) of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static CSharpCompilation CompileModule(string assemblyPath, string module)
    {
        CompilationResult result = BpfCompiler.CompileFile(assemblyPath, new CompilerOptions { Module = module });
        var diagnostics = result.Diagnostics.Select(d => d.ToString()).ToList();
        CompiledModule? compiled = result.Success ? result.Modules.FirstOrDefault(m => m.Name == module) : null;
        return compiled is null
            ? new(null, diagnostics.Count > 0 ? diagnostics : [$"no object for module {module}"])
            : new(compiled.ObjectBytes, diagnostics);
    }
}
