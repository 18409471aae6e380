using System.Reflection.Metadata;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Frontend;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;

namespace BpfSharp.Compiler;

/// <summary>Compiles the <c>[BpfModule]</c> classes of an assembly to eBPF objects.</summary>
public static partial class BpfCompiler
{
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
