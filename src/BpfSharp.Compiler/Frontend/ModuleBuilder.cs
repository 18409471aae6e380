using System.Reflection;
using System.Reflection.Metadata;
using BpfSharp.Abi;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Emit;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.KernelApi;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

/// <summary>
/// Lowers one <c>[BpfModule]</c> class to an <see cref="IrModule"/>: <c>[Map]</c> fields become map declarations,
/// other static fields globals (initial values from the static constructor), program methods and every method
/// they call without inlining become functions.
/// </summary>
internal static class ModuleBuilder
{
    public const string ModuleAttribute = "BpfSharp.Kernel.BpfModuleAttribute";
    const string MapAttribute = "BpfSharp.Kernel.MapAttribute";
    const string MapTypeAttribute = "BpfSharp.Kernel.BpfMapTypeAttribute";

    public static IrModule Build(TypeSystem types, LoadedAssembly assembly, TypeDefinitionHandle moduleType, DiagnosticBag diagnostics)
    {
        MetadataReader reader = assembly.Reader;
        TypeDefinition def = reader.GetTypeDefinition(moduleType);
        string fullName = MetadataNames.DefinitionFullName(reader, moduleType);
        var module = new IrModule(CIdentifier.From(MetadataNames.SimpleName(reader, moduleType))) { ClassName = fullName };
        var context = new ModuleContext(types, module, diagnostics, fullName);
        IReadOnlyList<AttributeData> attributes = AttributeData.Read(types, assembly, def.GetCustomAttributes());
        if (attributes.FirstOrDefault(a => a.TypeFullName == ModuleAttribute)?.Named<string>("License") is { } license)
            module.License = license;
        // A static class, or a class with only static members (so it can be a type argument: BpfObject.Load<TModule>()).
        if (def.GetFields().Any(f => (reader.GetFieldDefinition(f).Attributes & FieldAttributes.Static) == 0))
            diagnostics.Add(DiagnosticCatalog.ModuleNotStatic, null, fullName);

        DeclareStatics(context, assembly, def, fullName);
        int programs = 0;
        foreach (MethodDefinitionHandle mh in def.GetMethods())
        {
            MethodDefinition md = reader.GetMethodDefinition(mh);
            IReadOnlyList<AttributeData> methodAttributes = AttributeData.Read(types, assembly, md.GetCustomAttributes());
            AttributeData[] programAttributes = [.. methodAttributes.Where(a => ProgramKinds.IsProgramAttribute(a.TypeFullName))];
            if (programAttributes.Length == 0) continue;
            AttributeData programAttribute = programAttributes[0];
            programs++;
            MethodReference method = types.ResolveMethod(assembly, mh, GenericContext.Empty);
            Asm.SourceLocation? location = SourceMap.For(assembly, mh).First;
            if (programAttributes.Length > 1)
            {
                diagnostics.Add(DiagnosticCatalog.SeveralProgramAttributes, location, method.Name,
                    string.Join(", ", programAttributes.Select(a => "[" + a.TypeFullName[(a.TypeFullName.LastIndexOf('.') + 1)..].Replace("Attribute", "", StringComparison.Ordinal) + "]")));
                continue;
            }
            if (!ProgramKinds.TryResolve(programAttribute.TypeFullName, programAttribute.Arguments, programAttribute.NamedArguments,
                    method.Name, location, out ProgramKind? program, out Diagnostic? bad))
            {
                diagnostics.Add(bad!);
                continue;
            }
            if (ProgramKinds.CheckSignature(program!, method.Name, method.Signature.ParameterTypes, method.Signature.ReturnType, location) is { } signatureError)
            {
                diagnostics.Add(signatureError);
                continue;
            }
            var function = new IrFunction(CIdentifier.From(method.Name)) { Section = program!.Section, ExceptionExitCode = program.ExceptionReturn };
            module.Functions.Add(function);
            Translate(context, function, method, isProgram: true);
        }
        if (programs == 0) diagnostics.Add(DiagnosticCatalog.NoPrograms, null, fullName);
        while (context.PendingSubprograms.TryDequeue(out var pending))
            Translate(context, pending.Function, pending.Method, isProgram: false);
        return module;
    }

    static void Translate(ModuleContext context, IrFunction function, MethodReference method, bool isProgram)
    {
        try
        {
            MethodTranslator.TranslateFunction(context, function, method, isProgram);
        }
        catch (CompilationErrorException e)
        {
            context.Diagnostics.Add(e.Diagnostic);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or InvalidCastException or KeyNotFoundException or NullReferenceException)
        {
            context.Diagnostics.Add(DiagnosticCatalog.InternalError, function.Source, method.DisplayName, e.Message);
        }
    }

    static void DeclareStatics(ModuleContext context, LoadedAssembly assembly, TypeDefinition def, string moduleFullName)
    {
        MetadataReader reader = assembly.Reader;
        TypeSystem types = context.Types;
        Dictionary<string, byte[]> initial = StaticInitializer.Evaluate(context, assembly, def, moduleFullName);
        foreach (FieldDefinitionHandle fh in def.GetFields())
        {
            FieldDefinition f = reader.GetFieldDefinition(fh);
            if ((f.Attributes & FieldAttributes.Static) == 0 || (f.Attributes & FieldAttributes.Literal) != 0) continue;
            string name = reader.GetString(f.Name);
            string key = moduleFullName + "." + name;
            TypeModel type = types.DecodeFieldSignature(assembly, f, GenericContext.Empty);
            IReadOnlyList<AttributeData> attributes = AttributeData.Read(types, assembly, f.GetCustomAttributes());
            if (attributes.FirstOrDefault(a => a.TypeFullName == MapAttribute) is { } map)
            {
                if (DeclareMap(context, name, type, map) is { } declaration)
                {
                    context.Module.Maps.Add(declaration);
                    context.MapFields[key] = declaration.Name;
                }
                continue;
            }
            if (type is ClassType { KernelName: not null })
            {
                context.Diagnostics.Add(DiagnosticCatalog.BadMapField, null, name, $"a field of map type {type.DisplayName} needs [Map(MaxEntries = …)]");
                continue;
            }
            if (type is ClassType or PointerType or ByRefType || type is PrimitiveType { Kind: PrimitiveKind.IntPtr or PrimitiveKind.UIntPtr or PrimitiveKind.Single or PrimitiveKind.Double })
            {
                context.Diagnostics.Add(DiagnosticCatalog.ManagedReference, null, $"{moduleFullName}.{name}", $"{type.DisplayName} (a global must be an integer, enum, bool, char or unmanaged struct)");
                continue;
            }
            bool readOnly = (f.Attributes & FieldAttributes.InitOnly) != 0;
            byte[] bytes = initial.TryGetValue(name, out byte[]? v) ? v : new byte[type.Size];
            GlobalSection section = readOnly ? GlobalSection.ReadOnly : bytes.Any(b => b != 0) ? GlobalSection.Data : GlobalSection.Bss;
            var global = new GlobalVariable(CIdentifier.From(name), type, section, bytes);
            context.Module.Globals.Add(global);
            context.Globals[key] = global;
        }
    }

    static MapDeclaration? DeclareMap(ModuleContext context, string fieldName, TypeModel type, AttributeData map)
    {
        if (type is not ClassType { KernelName: { } kernelName } mapClass)
        {
            context.Diagnostics.Add(DiagnosticCatalog.BadMapField, null, fieldName, $"its type {type.DisplayName} is not a BpfSharp.Kernel map type");
            return null;
        }
        LoadedAssembly? kernel = context.Types.FindAssembly(TypeSystem.KernelAssemblyName, context.Types.Main);
        TypeDefinitionHandle classHandle = kernel is null ? default : TypeSystem.FindDefinition(kernel, kernelName, mapClass.TypeArguments.Count);
        AttributeData? mapType = classHandle.IsNil ? null
            : AttributeData.Read(context.Types, kernel!, kernel!.Reader.GetTypeDefinition(classHandle).GetCustomAttributes()).FirstOrDefault(a => a.TypeFullName == MapTypeAttribute);
        if (mapType is not { Arguments: [int id] })
        {
            context.Diagnostics.Add(DiagnosticCatalog.BadMapField, null, fieldName, $"{type.DisplayName} is not marked [BpfMapType]");
            return null;
        }
        TypeModel u32 = context.Types.Primitive(PrimitiveKind.UInt32);
        (TypeModel? key, TypeModel? value) = mapClass.TypeArguments.Count switch
        {
            2 => (mapClass.TypeArguments[0], mapClass.TypeArguments[1]),
            1 when mapType.Named<bool>("NoKey") => (null, mapClass.TypeArguments[0]),
            1 => (u32, mapClass.TypeArguments[0]),
            _ when mapType.Named<bool>("UInt32KeyAndValue") => (u32, u32),
            _ => ((TypeModel?)null, (TypeModel?)null),
        };
        string name = CIdentifier.From(map.Named<string>("Name") ?? fieldName);
        return new MapDeclaration(name, (BpfMapType)id)
        {
            Key = key,
            Value = value,
            MaxEntries = map.Named<uint>("MaxEntries"),
            Flags = map.Named<uint>("Flags"),
            MapExtra = map.Named<ulong>("MapExtra"),
            NumaNode = map.Named<uint>("NumaNode"),
            Pinning = map.Named<bool>("PinByName") ? 1u : 0u,
            ClrTypeName = type.DisplayName,
        };
    }
}
