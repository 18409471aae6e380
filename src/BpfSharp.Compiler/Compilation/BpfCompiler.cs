using System.Reflection.Metadata;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Frontend;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;

namespace BpfSharp.Compiler;

/// <summary>Compiles the <c>[BpfModule]</c> classes of an assembly to eBPF objects.</summary>
public static partial class BpfCompiler
{
    /// <summary>
    /// Compiles the <c>[BpfModule]</c> classes of the assembly at <paramref name="assemblyPath"/> (its portable PDB next
    /// to it gives line info and diagnostic locations). Never throws for bad input: problems are diagnostics.
    /// </summary>
    public static CompilationResult CompileFile(string assemblyPath, CompilerOptions? options = null)
    {
        options ??= new CompilerOptions();
        (IReadOnlyList<IrModule> modules, DiagnosticBag diagnostics) = Lower(assemblyPath, options);
        var compiled = new List<CompiledModule>();
        foreach (IrModule module in modules)
        {
            if (CompileModule(module, options, diagnostics) is { } bytes)
                compiled.Add(new CompiledModule(module.Name, module.ClassName ?? module.Name, bytes));
        }
        return new CompilationResult(diagnostics.HasErrors ? [] : compiled, diagnostics.ToList());
    }

    /// <summary>Compiles the module <typeparamref name="TModule"/> from its loaded assembly's file.</summary>
    public static CompilationResult Compile<TModule>(CompilerOptions? options = null) => Compile(typeof(TModule), options);

    /// <summary>Compiles the module class <paramref name="moduleType"/> from its loaded assembly's file.</summary>
    public static CompilationResult Compile(Type moduleType, CompilerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(moduleType);
        string location = moduleType.Assembly.Location;
        if (string.IsNullOrEmpty(location))
            throw new ArgumentException($"{moduleType.Assembly.GetName().Name} has no file (single-file publish or dynamic assembly); compile it from its .dll with CompileFile.", nameof(moduleType));
        return CompileFile(location, (options ?? new CompilerOptions()) with { Module = moduleType.FullName!.Replace('+', '.') });
    }

    static byte[]? CompileModule(IrModule module, CompilerOptions options, DiagnosticBag diagnostics)
    {
        if (diagnostics.HasErrors) return null;
        var functions = new List<Backend.CompiledFunction>();
        foreach (IrFunction function in module.Functions)
        {
            try
            {
                if (options.Optimize) Transforms.Optimizer.Run(function);
                if (Transforms.IrVerifier.Verify(function) is { Count: > 0 } problems)
                {
                    diagnostics.Add(DiagnosticCatalog.InternalError, function.Source, function.Name, "invalid IR: " + string.Join("; ", problems.Take(3)));
                    continue;
                }
                functions.Add(Backend.CodeGenerator.Generate(function, diagnostics));
            }
            catch (CompilationErrorException e)
            {
                diagnostics.Add(e.Diagnostic);
            }
        }
        if (diagnostics.HasErrors) return null;
        CheckCallChainStacks(functions, diagnostics);
        if (diagnostics.HasErrors) return null;
        return Emit.ObjectEmitter.Emit(module, functions, diagnostics);
    }

    // The verifier limits the frames of a whole call chain to 512 bytes together, not each frame alone.
    static void CheckCallChainStacks(List<Backend.CompiledFunction> functions, DiagnosticBag diagnostics)
    {
        var byName = functions.ToDictionary(f => f.Function.Name, StringComparer.Ordinal);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int Deepest(Backend.CompiledFunction f, int guard)
        {
            if (depth.TryGetValue(f.Function.Name, out int known)) return known;
            int callees = 0;
            if (guard < 64)
                foreach (Asm.Instruction i in f.Instructions)
                    if (i.IsBpfCall && i.Reference is { } callee && byName.TryGetValue(callee, out var target))
                        callees = Math.Max(callees, Deepest(target, guard + 1));
            // Each frame is rounded up to 32 bytes by the verifier's accounting (round_up(stack_depth, 32)).
            int total = ((f.StackSize + 31) & ~31) + callees;
            depth[f.Function.Name] = total;
            return total;
        }
        foreach (Backend.CompiledFunction f in functions.Where(f => f.Function.IsProgram))
        {
            int total = Deepest(f, 0);
            if (total > 512 && f.StackSize <= 512)
                diagnostics.Add(DiagnosticCatalog.StackTooLarge, f.Function.Source, f.Function.Name + " (with the functions it calls)", total);
        }
    }

    /// <summary>Lowers every selected module of the assembly at <paramref name="assemblyPath"/> to IR.</summary>
    internal static (IReadOnlyList<IrModule> Modules, DiagnosticBag Diagnostics) Lower(string assemblyPath, CompilerOptions options)
    {
        var diagnostics = new DiagnosticBag();
        LoadedAssembly assembly;
        try
        {
            assembly = LoadedAssembly.Open(assemblyPath);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.AssemblyUnreadable, null, assemblyPath, e.Message);
            return ([], diagnostics);
        }
        using var types = new TypeSystem(assembly);
        try
        {
            return LowerModules(types, assembly, assemblyPath, options, diagnostics);
        }
        catch (BadImageFormatException e)
        {
            // Metadata that opened but is corrupt further in (attributes, signatures, IL outside a method).
            diagnostics.Add(DiagnosticCatalog.AssemblyUnreadable, null, assemblyPath, e.Message);
            return ([], diagnostics);
        }
    }

    static (IReadOnlyList<IrModule>, DiagnosticBag) LowerModules(TypeSystem types, LoadedAssembly assembly, string assemblyPath, CompilerOptions options, DiagnosticBag diagnostics)
    {
        if (assembly.Pdb is null) diagnostics.Add(DiagnosticCatalog.NoPdb, null, assemblyPath);
        var modules = new List<IrModule>();
        foreach (TypeDefinitionHandle h in ModuleTypes(types, assembly))
        {
            string fullName = MetadataNames.DefinitionFullName(assembly.Reader, h);
            if (options.Module is { } only && only != fullName && only != MetadataNames.SimpleName(assembly.Reader, h)) continue;
            modules.Add(ModuleBuilder.Build(types, assembly, h, diagnostics));
        }
        if (modules.Count == 0) diagnostics.Add(DiagnosticCatalog.NoModules, null, options.Module ?? assemblyPath);
        return (modules, diagnostics);
    }

    static IEnumerable<TypeDefinitionHandle> ModuleTypes(TypeSystem types, LoadedAssembly assembly)
    {
        foreach (TypeDefinitionHandle h in assembly.Reader.TypeDefinitions)
        {
            TypeDefinition def = assembly.Reader.GetTypeDefinition(h);
            if (AttributeData.Read(types, assembly, def.GetCustomAttributes()).Any(a => a.TypeFullName == ModuleBuilder.ModuleAttribute))
                yield return h;
        }
    }
}
