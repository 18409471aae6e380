using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace BpfSharp.Compiler.Metadata;

/// <summary>A decoded custom attribute: its type's full name and its arguments as plain values (typeof(T) as the type's name).</summary>
public sealed record AttributeData(string TypeFullName, IReadOnlyList<object?> Arguments, IReadOnlyDictionary<string, object?> NamedArguments)
{
    public T? Named<T>(string name) => NamedArguments.TryGetValue(name, out object? v) && v is T t ? t : default;

    /// <summary>Decodes every attribute of a handle's custom attribute list; attributes that cannot be decoded are skipped.</summary>
    public static IReadOnlyList<AttributeData> Read(TypeSystem types, LoadedAssembly assembly, CustomAttributeHandleCollection attributes)
    {
        MetadataReader reader = assembly.Reader;
        var list = new List<AttributeData>();
        foreach (CustomAttributeHandle h in attributes)
        {
            CustomAttribute a = reader.GetCustomAttribute(h);
            string typeName = a.Constructor.Kind switch
            {
                HandleKind.MethodDefinition => MetadataNames.DefinitionFullName(reader, reader.GetMethodDefinition((MethodDefinitionHandle)a.Constructor).GetDeclaringType()),
                HandleKind.MemberReference => MetadataNames.FullName(reader, reader.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent),
                _ => "",
            };
            try
            {
                CustomAttributeValue<object?> value = a.DecodeValue(new Provider(types, assembly));
                list.Add(new AttributeData(typeName,
                    [.. value.FixedArguments.Select(x => x.Value)],
                    value.NamedArguments.Where(n => n.Name is not null).ToDictionary(n => n.Name!, n => n.Value, StringComparer.Ordinal)));
            }
            catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or NotSupportedException)
            {
                list.Add(new AttributeData(typeName, [], ImmutableDictionary<string, object?>.Empty));
            }
        }
        return list;
    }

    // Values decode as boxed primitives; types (typeof) as their full name; enums as their underlying value.
    sealed class Provider(TypeSystem types, LoadedAssembly assembly) : ICustomAttributeTypeProvider<object?>
    {
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode;
        public object? GetSystemType() => "System.Type";
        public object? GetSZArrayType(object? elementType) => elementType;
        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => (assembly, (EntityHandle)handle);
        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => (assembly, (EntityHandle)handle);
        public object? GetTypeFromSerializedName(string name) => name;
        public bool IsSystemType(object? type) => type is string s && s == "System.Type"
            || type is (LoadedAssembly a, EntityHandle h) && MetadataNames.FullName(a.Reader, h) == "System.Type";

        public PrimitiveTypeCode GetUnderlyingEnumType(object? type)
        {
            if (type is (LoadedAssembly a, EntityHandle h) && types.ResolveType(a, h, GenericContext.Empty) is Types.EnumType e)
            {
                return e.Underlying.Kind switch
                {
                    Types.PrimitiveKind.SByte => PrimitiveTypeCode.SByte, Types.PrimitiveKind.Byte => PrimitiveTypeCode.Byte,
                    Types.PrimitiveKind.Int16 => PrimitiveTypeCode.Int16, Types.PrimitiveKind.UInt16 => PrimitiveTypeCode.UInt16,
                    Types.PrimitiveKind.UInt32 => PrimitiveTypeCode.UInt32, Types.PrimitiveKind.Int64 => PrimitiveTypeCode.Int64,
                    Types.PrimitiveKind.UInt64 => PrimitiveTypeCode.UInt64, _ => PrimitiveTypeCode.Int32,
                };
            }
            return PrimitiveTypeCode.Int32;
        }
    }
}
