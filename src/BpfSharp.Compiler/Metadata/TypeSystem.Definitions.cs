using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Metadata;

// Type definitions become models here: enums with their members, structs with the CLR's field offsets.
public sealed partial class TypeSystem
{
    /// <summary>The model of a type definition instantiated with <paramref name="typeArguments"/>.</summary>
    public TypeModel ResolveDefinition(LoadedAssembly assembly, TypeDefinitionHandle handle, ImmutableArray<TypeModel> typeArguments)
    {
        MetadataReader reader = assembly.Reader;
        string fullName = MetadataNames.DefinitionFullName(reader, handle);
        if (typeArguments.IsEmpty && WellKnown(fullName) is { } known) return known;
        var key = (assembly, handle, string.Join(",", typeArguments.Select(Identity)));
        lock (_definitions)
        {
            if (_definitions.TryGetValue(key, out TypeModel? existing)) return existing;
            TypeDefinition def = reader.GetTypeDefinition(handle);
            string baseName = BaseTypeName(reader, def);
            string simple = MetadataNames.SimpleName(reader, handle), ns = MetadataNames.Namespace(reader, handle);
            string? kernelName = assembly.Name == KernelAssemblyName ? fullName : null;
            var context = new GenericContext(typeArguments, []);
            if (baseName == "System.Enum")
            {
                TypeModel e = BuildEnum(assembly, def, simple, ns);
                _definitions[key] = e;
                return e;
            }
            if (baseName != "System.ValueType")
            {
                var c = new ClassType(simple, ns, typeArguments, kernelName);
                _definitions[key] = c;
                return c;
            }
            var s = new StructType(simple, ns, typeArguments) { KernelName = kernelName };
            _definitions[key] = s; // before the fields: a field may point back at the struct
            LayOut(assembly, def, s, context);
            return s;
        }
    }

    // Distinguishes interned models in a cache key; display names can collide across namespaces.
    static string Identity(TypeModel t) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(t).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + t.DisplayName;

    static string BaseTypeName(MetadataReader reader, TypeDefinition def) =>
        def.BaseType.IsNil ? "" : def.BaseType.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference ? MetadataNames.FullName(reader, def.BaseType) : "";

    EnumType BuildEnum(LoadedAssembly assembly, TypeDefinition def, string simple, string ns)
    {
        MetadataReader reader = assembly.Reader;
        PrimitiveType underlying = Primitive(PrimitiveKind.Int32);
        var members = new List<EnumMember>();
        foreach (FieldDefinitionHandle fh in def.GetFields())
        {
            FieldDefinition f = reader.GetFieldDefinition(fh);
            if ((f.Attributes & FieldAttributes.Static) == 0)
            {
                if (DecodeFieldSignature(assembly, f, GenericContext.Empty) is PrimitiveType p) underlying = p;
                continue;
            }
            if ((f.Attributes & FieldAttributes.Literal) == 0 || f.GetDefaultValue().IsNil) continue;
            Constant c = reader.GetConstant(f.GetDefaultValue());
            BlobReader blob = reader.GetBlobReader(c.Value);
            long value = c.TypeCode switch
            {
                ConstantTypeCode.SByte => blob.ReadSByte(), ConstantTypeCode.Byte => blob.ReadByte(),
                ConstantTypeCode.Int16 => blob.ReadInt16(), ConstantTypeCode.UInt16 => blob.ReadUInt16(),
                ConstantTypeCode.Int32 => blob.ReadInt32(), ConstantTypeCode.UInt32 => blob.ReadUInt32(),
                ConstantTypeCode.Int64 => blob.ReadInt64(), ConstantTypeCode.UInt64 => (long)blob.ReadUInt64(),
                ConstantTypeCode.Char => blob.ReadChar(), ConstantTypeCode.Boolean => blob.ReadBoolean() ? 1 : 0,
                _ => 0,
            };
            members.Add(new EnumMember(reader.GetString(f.Name), value));
        }
        return new EnumType(simple, ns, underlying, members);
    }

    // Sequential: each field at the next multiple of min(its alignment, Pack); size rounded up to the largest
    // alignment met, or the explicit Size when larger. Explicit: the [FieldOffset]s. [InlineArray(N)]: N elements.
    void LayOut(LoadedAssembly assembly, TypeDefinition def, StructType s, GenericContext context)
    {
        MetadataReader reader = assembly.Reader;
        TypeLayout layout = def.GetLayout();
        s.Pack = layout.PackingSize;
        s.LayoutKind = (def.Attributes & TypeAttributes.LayoutMask) switch
        {
            TypeAttributes.ExplicitLayout => StructLayoutKind.Explicit,
            TypeAttributes.SequentialLayout => StructLayoutKind.Sequential,
            _ => StructLayoutKind.Auto,
        };
        IReadOnlyList<AttributeData> attributes = AttributeData.Read(this, assembly, def.GetCustomAttributes());
        int inlineLength = attributes.FirstOrDefault(a => a.TypeFullName == "System.Runtime.CompilerServices.InlineArrayAttribute")?.Arguments is [int n] ? n : 0;
        int pack = layout.PackingSize == 0 ? 8 : layout.PackingSize;

        var fields = new List<FieldModel>();
        int offset = 0, maxAlign = 1;
        foreach (FieldDefinitionHandle fh in def.GetFields())
        {
            FieldDefinition f = reader.GetFieldDefinition(fh);
            if ((f.Attributes & FieldAttributes.Static) != 0) continue;
            TypeModel type = DecodeFieldSignature(assembly, f, context);
            int align = Math.Min(Math.Max(1, type.Alignment), pack);
            int at = s.LayoutKind == StructLayoutKind.Explicit && f.GetOffset() >= 0 ? f.GetOffset() : AlignUp(offset, align);
            maxAlign = Math.Max(maxAlign, align);
            var field = new FieldModel(reader.GetString(f.Name), type, at);
            IReadOnlyList<AttributeData> fieldAttributes = AttributeData.Read(this, assembly, f.GetCustomAttributes());
            if (fieldAttributes.FirstOrDefault(a => a.TypeFullName == "System.Runtime.CompilerServices.FixedBufferAttribute") is { Arguments: [string elementType, int length] }
                && WellKnown(elementType.Split(',')[0].Trim()) is { } element)
            {
                field = field with { FixedBuffer = (element, length) };
                if (type is StructType helper) helper.FixedBuffer = (element, length);
            }
            fields.Add(field);
            offset = Math.Max(offset, at + type.Size);
        }
        if (inlineLength > 0 && fields.Count == 1)
        {
            s.InlineArrayLength = inlineLength;
            offset = fields[0].Type.Size * inlineLength;
        }
        if (fields.Count == 1 && s.Name.EndsWith("e__FixedBuffer", StringComparison.Ordinal) && fields[0].Type is PrimitiveType fixedElement && layout.Size > 0)
            s.FixedBuffer = (fixedElement, layout.Size / Math.Max(1, fixedElement.Size));
        s.Fields = fields;
        s.AlignmentValue = maxAlign;
        int size = Math.Max(AlignUp(offset, maxAlign), layout.Size);
        s.SizeValue = size == 0 ? 1 : size;
    }

    static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
