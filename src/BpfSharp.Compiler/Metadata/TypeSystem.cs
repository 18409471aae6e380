using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Metadata;

/// <summary>
/// Resolves metadata handles of a set of assemblies to interned <see cref="TypeModel"/>s with CLR layouts,
/// and fields and methods to <see cref="FieldReference"/>/<see cref="MethodReference"/>. Assemblies referenced
/// by name are opened from the directory of the assembly that references them, then from the compiler's own;
/// the core library is never opened: its primitives are known by name.
/// </summary>
public sealed partial class TypeSystem : IDisposable
{
    public const string KernelAssemblyName = "BpfSharp.Kernel";

    readonly Dictionary<string, LoadedAssembly?> _assemblies = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<(LoadedAssembly, TypeDefinitionHandle, string), TypeModel> _definitions = [];
    readonly Dictionary<(TypeModel, bool), TypeModel> _pointers = [];
    readonly Dictionary<TypeModel, TypeModel> _byRefs = [];
    readonly Dictionary<PrimitiveKind, PrimitiveType> _primitives = [];
    readonly Dictionary<string, StructType> _opaque = new(StringComparer.Ordinal);
    readonly SignatureProvider _provider;

    public TypeSystem(LoadedAssembly main)
    {
        Main = main;
        _assemblies[main.Name] = main;
        _provider = new SignatureProvider(this);
        foreach (PrimitiveKind k in Enum.GetValues<PrimitiveKind>()) _primitives[k] = new PrimitiveType(k);
    }

    /// <summary>The assembly being compiled.</summary>
    public LoadedAssembly Main { get; }

    public PrimitiveType Primitive(PrimitiveKind kind) => _primitives[kind];

    /// <summary>An unresolvable or unsupported type (e.g. a class of the core library).</summary>
    public ClassType Unknown(string fullName) => new(fullName, "", [], null);

    public TypeModel PointerTo(TypeModel element, bool functionPointer = false)
    {
        lock (_pointers)
        {
            if (!_pointers.TryGetValue((element, functionPointer), out TypeModel? p))
                _pointers[(element, functionPointer)] = p = new PointerType(element, functionPointer);
            return p;
        }
    }

    public TypeModel ByRefTo(TypeModel element)
    {
        lock (_byRefs)
        {
            if (!_byRefs.TryGetValue(element, out TypeModel? p)) _byRefs[element] = p = new ByRefType(element);
            return p;
        }
    }

    /// <summary>Opens a referenced assembly by name, or null when it cannot be found (the core library is never opened).</summary>
    public LoadedAssembly? FindAssembly(string name, LoadedAssembly referencedFrom)
    {
        lock (_assemblies)
        {
            if (_assemblies.TryGetValue(name, out LoadedAssembly? known)) return known;
            LoadedAssembly? found = null;
            if (!IsFrameworkAssembly(name))
            {
                foreach (string dir in new[] { Path.GetDirectoryName(referencedFrom.Path)!, AppContext.BaseDirectory })
                {
                    string candidate = Path.Combine(dir, name + ".dll");
                    if (!File.Exists(candidate)) continue;
                    try { found = LoadedAssembly.Open(candidate); break; }
                    catch (Exception e) when (e is BadImageFormatException or IOException) { }
                }
            }
            _assemblies[name] = found;
            return found;
        }
    }

    static bool IsFrameworkAssembly(string name) =>
        name is "System.Runtime" or "mscorlib" or "netstandard" or "System.Private.CoreLib"
        || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal);

    /// <summary>Decodes a type handle (definition, reference or specification) in a generic context.</summary>
    public TypeModel ResolveType(LoadedAssembly assembly, EntityHandle handle, GenericContext context) => handle.Kind switch
    {
        HandleKind.TypeDefinition => ResolveDefinition(assembly, (TypeDefinitionHandle)handle, []),
        HandleKind.TypeReference => ResolveReference(assembly, (TypeReferenceHandle)handle, []),
        HandleKind.TypeSpecification => assembly.Reader.GetTypeSpecification((TypeSpecificationHandle)handle)
            .DecodeSignature(_provider.For(assembly), context),
        _ => throw new BadImageFormatException($"handle of kind {handle.Kind} is not a type"),
    };

    public TypeModel DecodeFieldSignature(LoadedAssembly assembly, FieldDefinition field, GenericContext context) =>
        field.DecodeSignature(_provider.For(assembly), context);

    public MethodSignature<TypeModel> DecodeMethodSignature(LoadedAssembly assembly, BlobHandle signature, GenericContext context)
    {
        BlobReader blob = assembly.Reader.GetBlobReader(signature);
        return new SignatureDecoder<TypeModel, GenericContext>(_provider.For(assembly), assembly.Reader, context).DecodeMethodSignature(ref blob);
    }

    public ImmutableArray<TypeModel> DecodeLocals(LoadedAssembly assembly, StandaloneSignatureHandle handle, GenericContext context) =>
        handle.IsNil ? [] : assembly.Reader.GetStandaloneSignature(handle).DecodeLocalSignature(_provider.For(assembly), context);

    public ImmutableArray<TypeModel> DecodeMethodSpecification(LoadedAssembly assembly, MethodSpecification spec, GenericContext context) =>
        spec.DecodeSignature(_provider.For(assembly), context);

    /// <summary>Finds a type definition by full name (no arity) in an assembly.</summary>
    public static TypeDefinitionHandle FindDefinition(LoadedAssembly assembly, string fullName, int arity)
    {
        foreach (TypeDefinitionHandle h in assembly.Reader.TypeDefinitions)
        {
            if (MetadataNames.DefinitionFullName(assembly.Reader, h) != fullName) continue;
            if (assembly.Reader.GetTypeDefinition(h).GetGenericParameters().Count == arity) return h;
        }
        return default;
    }

    /// <summary>Resolves a type reference to its definition's assembly and handle, or null when the assembly is not available.</summary>
    public (LoadedAssembly Assembly, TypeDefinitionHandle Handle)? ResolveReferenceToDefinition(LoadedAssembly assembly, TypeReferenceHandle handle)
    {
        MetadataReader reader = assembly.Reader;
        TypeReference r = reader.GetTypeReference(handle);
        if (r.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            var outer = ResolveReferenceToDefinition(assembly, (TypeReferenceHandle)r.ResolutionScope);
            if (outer is not { } o) return null;
            string name = reader.GetString(r.Name);
            foreach (TypeDefinitionHandle nested in o.Assembly.Reader.GetTypeDefinition(o.Handle).GetNestedTypes())
                if (o.Assembly.Reader.GetString(o.Assembly.Reader.GetTypeDefinition(nested).Name) == name) return (o.Assembly, nested);
            return null;
        }
        LoadedAssembly? target = r.ResolutionScope.Kind switch
        {
            HandleKind.AssemblyReference => FindAssembly(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)r.ResolutionScope).Name), assembly),
            HandleKind.ModuleDefinition => assembly,
            _ => null,
        };
        if (target is null) return null;
        string ns = reader.GetString(r.Namespace), simple = reader.GetString(r.Name);
        foreach (TypeDefinitionHandle h in target.Reader.TypeDefinitions)
        {
            TypeDefinition d = target.Reader.GetTypeDefinition(h);
            if (d.GetDeclaringType().IsNil && target.Reader.StringComparer.Equals(d.Name, simple) && target.Reader.StringComparer.Equals(d.Namespace, ns))
                return (target, h);
        }
        // Forwarded types (e.g. to another assembly of the set) are not followed: the core library is the only forwarder we meet.
        return null;
    }

    internal TypeModel ResolveReference(LoadedAssembly assembly, TypeReferenceHandle handle, ImmutableArray<TypeModel> typeArguments)
    {
        string fullName = MetadataNames.ReferenceFullName(assembly.Reader, handle);
        if (typeArguments.IsEmpty && WellKnown(fullName) is { } known) return known;
        if (fullName is "System.Span" or "System.ReadOnlySpan" && typeArguments.Length == 1) return SpanOf(fullName, typeArguments[0]);
        if (ResolveReferenceToDefinition(assembly, handle) is { } def) return ResolveDefinition(def.Assembly, def.Handle, typeArguments);
        return Unknown(typeArguments.IsEmpty ? fullName : $"{fullName}<{string.Join(", ", typeArguments)}>");
    }

    TypeModel? WellKnown(string fullName) => fullName switch
    {
        "System.Void" => Primitive(PrimitiveKind.Void), "System.Boolean" => Primitive(PrimitiveKind.Bool),
        "System.Char" => Primitive(PrimitiveKind.Char), "System.SByte" => Primitive(PrimitiveKind.SByte),
        "System.Byte" => Primitive(PrimitiveKind.Byte), "System.Int16" => Primitive(PrimitiveKind.Int16),
        "System.UInt16" => Primitive(PrimitiveKind.UInt16), "System.Int32" => Primitive(PrimitiveKind.Int32),
        "System.UInt32" => Primitive(PrimitiveKind.UInt32), "System.Int64" => Primitive(PrimitiveKind.Int64),
        "System.UInt64" => Primitive(PrimitiveKind.UInt64), "System.IntPtr" => Primitive(PrimitiveKind.IntPtr),
        "System.UIntPtr" => Primitive(PrimitiveKind.UIntPtr), "System.Single" => Primitive(PrimitiveKind.Single),
        "System.Double" => Primitive(PrimitiveKind.Double),
        "System.Int128" or "System.UInt128" => Opaque128(fullName),
        _ => null,
    };

    // Int128/UInt128 are two ulongs aligned to 16 on x64 since .NET 8; modelled so the map rules can name and reject them.
    TypeModel Opaque128(string fullName)
    {
        lock (_definitions)
        {
            if (_opaque.TryGetValue(fullName, out StructType? t)) return t;
            var s = new StructType(fullName["System.".Length..], "System", []) { LayoutKind = StructLayoutKind.Sequential, SizeValue = 16, AlignmentValue = 16 };
            s.Fields = [new FieldModel("_lower", Primitive(PrimitiveKind.UInt64), 0), new FieldModel("_upper", Primitive(PrimitiveKind.UInt64), 8)];
            _opaque[fullName] = s;
            return s;
        }
    }

    readonly Dictionary<(string, TypeModel), StructType> _spans = [];

    // Span<T> and ReadOnlySpan<T> as the CLR lays them out: a ref to the first element, then the length.
    // Their members are intrinsics (MethodTranslator.Intrinsics), so [InlineArray] indexing compiles.
    StructType SpanOf(string fullName, TypeModel element)
    {
        lock (_spans)
        {
            if (_spans.TryGetValue((fullName, element), out StructType? s)) return s;
            s = new StructType(fullName["System.".Length..], "System", [element]) { LayoutKind = StructLayoutKind.Sequential, SizeValue = 16, AlignmentValue = 8, KernelName = fullName };
            s.Fields = [new FieldModel("_reference", ByRefTo(element), 0), new FieldModel("_length", Primitive(PrimitiveKind.Int32), 8)];
            _spans[(fullName, element)] = s;
            return s;
        }
    }

    public void Dispose()
    {
        lock (_assemblies)
            foreach (LoadedAssembly? a in _assemblies.Values) a?.Dispose();
    }
}
