using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using BpfSharp.Compiler;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>What compiling one [BpfModule] class gave: its object, or the diagnostics that stopped it.</summary>
sealed record CSharpCompilation(byte[]? ObjectBytes, IReadOnlyList<string> Diagnostics);

/// <summary>
/// The one place the benchmark calls the BpfSharp compiler:
/// <c>BpfCompiler.CompileFile(assemblyPath, new CompilerOptions { Module = name })</c>.
/// Reached through reflection while that entry point is still being finished, so the harness builds and runs the
/// C side either way; when it is missing, <see cref="IsAvailable"/> is false and the C# column says so.
/// </summary>
static class BpfSharpCompilerBridge
{
    static readonly MethodInfo? CompileFile = typeof(CompilerOptions).Assembly
        .GetType("BpfSharp.Compiler.BpfCompiler")?
        .GetMethod("CompileFile", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(CompilerOptions)]);

    /// <summary>True when the compiler assembly has the CompileFile entry point.</summary>
    public static bool IsAvailable => CompileFile is not null;

    /// <summary>Compiles the module class <paramref name="module"/> (simple name) of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static CSharpCompilation CompileModule(string assemblyPath, string module)
    {
        if (CompileFile is null)
            return new(null, ["BpfSharp.Compiler has no public BpfCompiler.CompileFile(string, CompilerOptions?) yet"]);
        object result;
        try
        {
            result = CompileFile.Invoke(null, [assemblyPath, new CompilerOptions { Module = module }])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            return new(null, [$"the compiler threw {inner.GetType().Name}: {inner.Message}"]);
        }
        var diagnostics = Items(Property(result, "Diagnostics")).Select(d => d?.ToString() ?? "").ToList();
        foreach (object? m in Items(Property(result, "Modules")))
        {
            if (m is null) continue;
            string? name = Property(m, "Name")?.ToString();
            if (name is not null && name != module && !name.EndsWith("." + module, StringComparison.Ordinal)) continue;
            if (Bytes(Property(m, "ObjectBytes")) is { } bytes) return new(bytes, diagnostics);
        }
        return new(null, diagnostics.Count > 0 ? diagnostics : [$"no object for module {module}"]);
    }

    static object? Property(object o, string name) => o.GetType().GetProperty(name)?.GetValue(o);

    static IEnumerable<object?> Items(object? o) => o is IEnumerable e and not string ? e.Cast<object?>() : [];

    static byte[]? Bytes(object? o) => o switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        Memory<byte> m => m.ToArray(),
        ImmutableArray<byte> a => a.ToArray(),
        _ => null,
    };
}
