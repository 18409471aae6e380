using System.Collections.Immutable;
using System.Reflection.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Metadata;

/// <summary>Decodes signatures into <see cref="TypeModel"/>s; generic instantiations are built from the open definition.</summary>
internal sealed class SignatureProvider(TypeSystem types)
{
    public ISignatureTypeProvider<TypeModel, GenericContext> For(LoadedAssembly assembly) => new Bound(types, assembly);

    /// <summary>A generic type definition before instantiation (only ever an intermediate value of decoding).</summary>
    internal sealed class OpenGeneric(LoadedAssembly assembly, EntityHandle handle) : TypeModel
    {
        public LoadedAssembly Assembly { get; } = assembly;
        public EntityHandle Handle { get; } = handle;
        public override string DisplayName => "open generic";
        public override int Size => 0;
        public override int Alignment => 1;
        public override IR.ValueKind? RegisterKind => null;
    }

    sealed class Bound(TypeSystem types, LoadedAssembly assembly) : ISignatureTypeProvider<TypeModel, GenericContext>
    {
        public TypeModel GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Void => types.Primitive(PrimitiveKind.Void),
            PrimitiveTypeCode.Boolean => types.Primitive(PrimitiveKind.Bool),
            PrimitiveTypeCode.Char => types.Primitive(PrimitiveKind.Char),
            PrimitiveTypeCode.SByte => types.Primitive(PrimitiveKind.SByte),
            PrimitiveTypeCode.Byte => types.Primitive(PrimitiveKind.Byte),
            PrimitiveTypeCode.Int16 => types.Primitive(PrimitiveKind.Int16),
            PrimitiveTypeCode.UInt16 => types.Primitive(PrimitiveKind.UInt16),
            PrimitiveTypeCode.Int32 => types.Primitive(PrimitiveKind.Int32),
            PrimitiveTypeCode.UInt32 => types.Primitive(PrimitiveKind.UInt32),
            PrimitiveTypeCode.Int64 => types.Primitive(PrimitiveKind.Int64),
            PrimitiveTypeCode.UInt64 => types.Primitive(PrimitiveKind.UInt64),
            PrimitiveTypeCode.IntPtr => types.Primitive(PrimitiveKind.IntPtr),
            PrimitiveTypeCode.UIntPtr => types.Primitive(PrimitiveKind.UIntPtr),
            PrimitiveTypeCode.Single => types.Primitive(PrimitiveKind.Single),
            PrimitiveTypeCode.Double => types.Primitive(PrimitiveKind.Double),
            PrimitiveTypeCode.String => types.Unknown("string"),
            PrimitiveTypeCode.TypedReference => types.Unknown("TypedReference"),
            _ => types.Unknown("object"),
        };

        public TypeModel GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetTypeDefinition(handle).GetGenericParameters().Count > 0
                ? new OpenGeneric(assembly, handle)
                : types.ResolveDefinition(assembly, handle, []);

        public TypeModel GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name).Contains('`', StringComparison.Ordinal)
                ? new OpenGeneric(assembly, handle)
                : types.ResolveReference(assembly, handle, []);

        public TypeModel GetTypeFromSpecification(MetadataReader reader, GenericContext genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            types.ResolveType(assembly, handle, genericContext);

        public TypeModel GetGenericInstantiation(TypeModel genericType, ImmutableArray<TypeModel> typeArguments) => genericType switch
        {
            OpenGeneric { Handle.Kind: HandleKind.TypeDefinition } o => types.ResolveDefinition(o.Assembly, (TypeDefinitionHandle)o.Handle, typeArguments),
            OpenGeneric o => types.ResolveReference(o.Assembly, (TypeReferenceHandle)o.Handle, typeArguments),
            _ => genericType,
        };

        public TypeModel GetGenericTypeParameter(GenericContext genericContext, int index) =>
            index < genericContext.TypeArguments.Length ? genericContext.TypeArguments[index] : types.Unknown($"!{index}");

        public TypeModel GetGenericMethodParameter(GenericContext genericContext, int index) =>
            index < genericContext.MethodArguments.Length ? genericContext.MethodArguments[index] : types.Unknown($"!!{index}");

        public TypeModel GetPointerType(TypeModel elementType) => types.PointerTo(elementType);
        public TypeModel GetByReferenceType(TypeModel elementType) => types.ByRefTo(elementType);
        public TypeModel GetFunctionPointerType(MethodSignature<TypeModel> signature) => types.PointerTo(types.Primitive(PrimitiveKind.Void), functionPointer: true);
        public TypeModel GetModifiedType(TypeModel modifier, TypeModel unmodifiedType, bool isRequired) => unmodifiedType;
        public TypeModel GetPinnedType(TypeModel elementType) => elementType;
        public TypeModel GetSZArrayType(TypeModel elementType) => types.Unknown(elementType.DisplayName + "[]");
        public TypeModel GetArrayType(TypeModel elementType, ArrayShape shape) => types.Unknown(elementType.DisplayName + "[,]");
    }
}
