using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Metadata;

// Call targets and field operands: member references are matched to their definitions by name and signature.
public sealed partial class TypeSystem
{
    /// <summary>Resolves a method token (definition, member reference or generic instantiation) in the caller's context.</summary>
    public MethodReference ResolveMethod(LoadedAssembly assembly, EntityHandle handle, GenericContext context)
    {
        MetadataReader reader = assembly.Reader;
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
            {
                var h = (MethodDefinitionHandle)handle;
                MethodDefinition def = reader.GetMethodDefinition(h);
                TypeDefinitionHandle typeHandle = def.GetDeclaringType();
                int arity = reader.GetTypeDefinition(typeHandle).GetGenericParameters().Count;
                ImmutableArray<TypeModel> typeArgs = arity > 0 && context.TypeArguments.Length == arity ? context.TypeArguments : [];
                return FromDefinition(assembly, h, ResolveDefinition(assembly, typeHandle, typeArgs), typeArgs, []);
            }
            case HandleKind.MemberReference:
            {
                MemberReference m = reader.GetMemberReference((MemberReferenceHandle)handle);
                if (m.Parent.Kind == HandleKind.MethodDefinition) // a vararg call site of a local method
                    return ResolveMethod(assembly, m.Parent, context);
                TypeModel declaring = ResolveType(assembly, m.Parent, context);
                ImmutableArray<TypeModel> typeArgs = TypeArgumentsOf(declaring);
                string name = reader.GetString(m.Name);
                MethodSignature<TypeModel> callSig = DecodeMethodSignature(assembly, m.Signature, new GenericContext(typeArgs, Placeholders(0)));
                string declaringName = ParentFullName(reader, m.Parent);
                if (FindDefinitionOf(assembly, m.Parent) is { } owner
                    && FindMethod(owner.Assembly, owner.Handle, name, callSig, typeArgs) is { } found)
                    return FromDefinition(owner.Assembly, found, declaring, typeArgs, []);
                return new MethodReference(declaringName, declaring, name, callSig, new GenericContext(typeArgs, []));
            }
            case HandleKind.MethodSpecification:
            {
                MethodSpecification spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                MethodReference open = ResolveMethod(assembly, spec.Method, context);
                ImmutableArray<TypeModel> methodArgs = DecodeMethodSpecification(assembly, spec, context);
                return open.HasDefinition
                    ? FromDefinition(open.Assembly!, open.Definition, open.DeclaringType, open.Context.TypeArguments, methodArgs)
                    : open with
                    {
                        Context = open.Context.WithMethodArguments(methodArgs),
                        Signature = Substitute(open, methodArgs),
                    };
            }
            default:
                throw new BadImageFormatException($"token of kind {handle.Kind} is not a method");
        }
    }

    // Without a definition (core library), re-decode nothing: substitute the !!n placeholders of the call-site signature.
    MethodSignature<TypeModel> Substitute(MethodReference open, ImmutableArray<TypeModel> methodArgs)
    {
        TypeModel Map(TypeModel t) => t switch
        {
            ClassType c when c.Name.StartsWith("!!", StringComparison.Ordinal) && int.TryParse(c.Name.AsSpan(2), out int i) && i < methodArgs.Length => methodArgs[i],
            PointerType p => PointerTo(Map(p.Element), p.IsFunctionPointer),
            ByRefType r => ByRefTo(Map(r.Element)),
            _ => t,
        };
        MethodSignature<TypeModel> s = open.Signature;
        return new MethodSignature<TypeModel>(s.Header, Map(s.ReturnType), s.RequiredParameterCount, s.GenericParameterCount, [.. s.ParameterTypes.Select(Map)]);
    }

    readonly Dictionary<int, ImmutableArray<TypeModel>> _placeholders = [];

    ImmutableArray<TypeModel> Placeholders(int _)
    {
        lock (_placeholders)
        {
            if (!_placeholders.TryGetValue(16, out var p))
                _placeholders[16] = p = [.. Enumerable.Range(0, 16).Select(i => (TypeModel)Unknown($"!!{i}"))];
            return p;
        }
    }

    MethodReference FromDefinition(LoadedAssembly assembly, MethodDefinitionHandle handle, TypeModel declaring,
        ImmutableArray<TypeModel> typeArgs, ImmutableArray<TypeModel> methodArgs)
    {
        MetadataReader reader = assembly.Reader;
        MethodDefinition def = reader.GetMethodDefinition(handle);
        int methodArity = def.GetGenericParameters().Count;
        var context = new GenericContext(typeArgs, methodArity > 0 && methodArgs.Length == methodArity ? methodArgs : methodArity > 0 ? Placeholders(0) : []);
        MethodSignature<TypeModel> sig = DecodeMethodSignature(assembly, def.Signature, context);
        return new MethodReference(MetadataNames.DefinitionFullName(reader, def.GetDeclaringType()), declaring, reader.GetString(def.Name), sig,
            methodArity > 0 && methodArgs.Length == methodArity ? context : context with { MethodArguments = methodArgs })
        {
            Assembly = assembly,
            Definition = handle,
        };
    }

    MethodDefinitionHandle? FindMethod(LoadedAssembly assembly, TypeDefinitionHandle type, string name, MethodSignature<TypeModel> callSig, ImmutableArray<TypeModel> typeArgs)
    {
        MetadataReader reader = assembly.Reader;
        var context = new GenericContext(typeArgs, Placeholders(0));
        string wanted = SignatureKey(callSig);
        foreach (MethodDefinitionHandle h in reader.GetTypeDefinition(type).GetMethods())
        {
            MethodDefinition def = reader.GetMethodDefinition(h);
            if (!reader.StringComparer.Equals(def.Name, name)) continue;
            if (def.GetGenericParameters().Count != callSig.GenericParameterCount) continue;
            if (SignatureKey(DecodeMethodSignature(assembly, def.Signature, context)) == wanted) return h;
        }
        return null;
    }

    static string SignatureKey(MethodSignature<TypeModel> s) =>
        $"{s.Header.IsInstance}|{s.ReturnType.DisplayName}|{string.Join(",", s.ParameterTypes.Select(t => t.DisplayName))}";

    (LoadedAssembly Assembly, TypeDefinitionHandle Handle)? FindDefinitionOf(LoadedAssembly assembly, EntityHandle parent)
    {
        MetadataReader reader = assembly.Reader;
        switch (parent.Kind)
        {
            case HandleKind.TypeDefinition: return (assembly, (TypeDefinitionHandle)parent);
            case HandleKind.TypeReference: return ResolveReferenceToDefinition(assembly, (TypeReferenceHandle)parent);
            case HandleKind.TypeSpecification:
            {
                // A generic instantiation: its first element is the open type.
                BlobReader blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                blob.ReadSignatureTypeCode(); // class or valuetype
                EntityHandle open = blob.ReadTypeHandle();
                return FindDefinitionOf(assembly, open);
            }
            default: return null;
        }
    }

    static string ParentFullName(MetadataReader reader, EntityHandle parent)
    {
        if (parent.Kind != HandleKind.TypeSpecification) return MetadataNames.FullName(reader, parent);
        BlobReader blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return "";
        blob.ReadSignatureTypeCode();
        return MetadataNames.FullName(reader, blob.ReadTypeHandle());
    }

    static ImmutableArray<TypeModel> TypeArgumentsOf(TypeModel t) => t switch
    {
        StructType s => [.. s.TypeArguments],
        ClassType c => [.. c.TypeArguments],
        _ => [],
    };

    /// <summary>Resolves a field token.</summary>
    public FieldReference ResolveField(LoadedAssembly assembly, EntityHandle handle, GenericContext context)
    {
        MetadataReader reader = assembly.Reader;
        if (handle.Kind == HandleKind.FieldDefinition)
        {
            var h = (FieldDefinitionHandle)handle;
            FieldDefinition def = reader.GetFieldDefinition(h);
            TypeDefinitionHandle typeHandle = def.GetDeclaringType();
            int arity = reader.GetTypeDefinition(typeHandle).GetGenericParameters().Count;
            ImmutableArray<TypeModel> typeArgs = arity > 0 && context.TypeArguments.Length == arity ? context.TypeArguments : [];
            return FromFieldDefinition(assembly, h, ResolveDefinition(assembly, typeHandle, typeArgs), typeArgs);
        }
        if (handle.Kind != HandleKind.MemberReference) throw new BadImageFormatException($"token of kind {handle.Kind} is not a field");
        MemberReference m = reader.GetMemberReference((MemberReferenceHandle)handle);
        TypeModel declaring = ResolveType(assembly, m.Parent, context);
        string name = reader.GetString(m.Name);
        if (FindDefinitionOf(assembly, m.Parent) is { } owner)
        {
            foreach (FieldDefinitionHandle fh in owner.Assembly.Reader.GetTypeDefinition(owner.Handle).GetFields())
                if (owner.Assembly.Reader.StringComparer.Equals(owner.Assembly.Reader.GetFieldDefinition(fh).Name, name))
                    return FromFieldDefinition(owner.Assembly, fh, declaring, TypeArgumentsOf(declaring));
        }
        TypeModel type = m.DecodeFieldSignature(new SignatureProvider(this).For(assembly), context);
        return new FieldReference(ParentFullName(reader, m.Parent), declaring, name, type, IsStatic: false);
    }

    FieldReference FromFieldDefinition(LoadedAssembly assembly, FieldDefinitionHandle handle, TypeModel declaring, ImmutableArray<TypeModel> typeArgs)
    {
        MetadataReader reader = assembly.Reader;
        FieldDefinition def = reader.GetFieldDefinition(handle);
        string name = reader.GetString(def.Name);
        bool isStatic = (def.Attributes & FieldAttributes.Static) != 0;
        TypeModel type = DecodeFieldSignature(assembly, def, new GenericContext(typeArgs, []));
        int offset = declaring is StructType s && s.Fields.FirstOrDefault(f => f.Name == name) is { } fm ? fm.Offset : 0;
        if (declaring is StructType st && !isStatic && st.Fields.FirstOrDefault(f => f.Name == name) is { } exact) type = exact.Type;
        return new FieldReference(MetadataNames.DefinitionFullName(reader, def.GetDeclaringType()), declaring, name, type, isStatic)
        {
            Offset = offset,
            IsLiteral = (def.Attributes & FieldAttributes.Literal) != 0,
            Assembly = assembly,
            Definition = handle,
        };
    }
}
