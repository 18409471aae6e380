using System.Reflection.Metadata;

namespace BpfSharp.Compiler.Metadata;

/// <summary>Names of type definitions and references as C# writes them.</summary>
internal static class MetadataNames
{
    /// <summary>The namespace-qualified name without arity, nested types joined by '.', e.g. <c>BpfSharp.Kernel.HashMap</c>.</summary>
    public static string FullName(MetadataReader reader, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => DefinitionFullName(reader, (TypeDefinitionHandle)handle),
        HandleKind.TypeReference => ReferenceFullName(reader, (TypeReferenceHandle)handle),
        _ => "",
    };

    public static string DefinitionFullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition def = reader.GetTypeDefinition(handle);
        string name = StripArity(reader.GetString(def.Name));
        TypeDefinitionHandle outer = def.GetDeclaringType();
        if (!outer.IsNil) return DefinitionFullName(reader, outer) + "." + name;
        string ns = reader.GetString(def.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string ReferenceFullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference r = reader.GetTypeReference(handle);
        string name = StripArity(reader.GetString(r.Name));
        if (r.ResolutionScope.Kind == HandleKind.TypeReference)
            return ReferenceFullName(reader, (TypeReferenceHandle)r.ResolutionScope) + "." + name;
        string ns = reader.GetString(r.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The simple name, nested types as <c>Outer.Inner</c>, without namespace or arity.</summary>
    public static string SimpleName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition def = reader.GetTypeDefinition(handle);
        string name = StripArity(reader.GetString(def.Name));
        TypeDefinitionHandle outer = def.GetDeclaringType();
        return outer.IsNil ? name : SimpleName(reader, outer) + "." + name;
    }

    public static string Namespace(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition def = reader.GetTypeDefinition(handle);
        while (!def.GetDeclaringType().IsNil) def = reader.GetTypeDefinition(def.GetDeclaringType());
        return reader.GetString(def.Namespace);
    }

    public static string StripArity(string name)
    {
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
