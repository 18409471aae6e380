using BpfSharp.Btf;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Emit;

/// <summary>
/// Adds <see cref="TypeModel"/>s to a <see cref="BtfBuilder"/> as complete BTF definitions, once each: integers with
/// C names and encodings (bool: 1-byte BOOL; char: 2-byte unsigned), enums as ENUM/ENUM64 of their underlying size,
/// structs with their members at the CLR offsets (holes stay holes), fixed buffers and [InlineArray] elements as
/// ARRAY, pointers and refs as anonymous PTR. Never a FWD: recursive structs get their id before their members.
/// </summary>
internal sealed class BtfTypeWriter(BtfBuilder builder, BtfTypeNames names)
{
    readonly Dictionary<TypeModel, uint> ids = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<(string, uint, byte), uint> ints = [];
    readonly Dictionary<(uint, uint), uint> arrays = [];
    readonly Dictionary<uint, uint> pointers = [];

    public BtfBuilder Builder => builder;

    /// <summary>The BTF id of <paramref name="type"/> (0 for void or null).</summary>
    public uint TypeId(TypeModel? type)
    {
        if (type is null) return 0;
        if (ids.TryGetValue(type, out uint id)) return id;
        id = type switch
        {
            PrimitiveType p => Primitive(p),
            EnumType e => Enum(e),
            StructType { FixedBuffer: { } buffer } => Array(TypeId(buffer.Element), (uint)buffer.Length),
            StructType s => Struct(s),
            PointerType p => Pointer(p.IsFunctionPointer ? 0 : TypeId(p.Element)),
            ByRefType r => Pointer(TypeId(r.Element)),
            _ => Pointer(0), // a class (a map) as a parameter: an opaque pointer
        };
        ids[type] = id;
        return id;
    }

    /// <summary>An INT, shared by every use of the same name, size and encoding.</summary>
    public uint Int(string name, uint size, bool signed, bool isBool = false)
    {
        byte encoding = (byte)((signed ? BtfIntEncoding.Signed : 0) | (isBool ? BtfIntEncoding.Bool : 0));
        if (ints.TryGetValue((name, size, encoding), out uint id)) return id;
        return ints[(name, size, encoding)] = builder.AddInt(name, size, signed, isBool: isBool);
    }

    /// <summary>An array of <paramref name="count"/> elements, indexed by clang's <c>__ARRAY_SIZE_TYPE__</c>.</summary>
    public uint Array(uint element, uint count)
    {
        if (arrays.TryGetValue((element, count), out uint id)) return id;
        uint index = Int("__ARRAY_SIZE_TYPE__", 4, signed: false);
        return arrays[(element, count)] = builder.AddArray(element, index, count);
    }

    /// <summary>An anonymous pointer to <paramref name="target"/> (0: <c>void *</c>).</summary>
    public uint Pointer(uint target)
    {
        if (pointers.TryGetValue(target, out uint id)) return id;
        return pointers[target] = builder.AddPointer(target);
    }

    uint Primitive(PrimitiveType p) => p.Kind switch
    {
        PrimitiveKind.Void => 0,
        PrimitiveKind.Bool => Int("_Bool", 1, signed: false, isBool: true),
        PrimitiveKind.Char => Int("char16_t", 2, signed: false),
        PrimitiveKind.SByte => Int("signed char", 1, signed: true),
        PrimitiveKind.Byte => Int("unsigned char", 1, signed: false),
        PrimitiveKind.Int16 => Int("short", 2, signed: true),
        PrimitiveKind.UInt16 => Int("unsigned short", 2, signed: false),
        PrimitiveKind.Int32 => Int("int", 4, signed: true),
        PrimitiveKind.UInt32 => Int("unsigned int", 4, signed: false),
        PrimitiveKind.Int64 or PrimitiveKind.IntPtr => Int("long", 8, signed: true),
        PrimitiveKind.UInt64 or PrimitiveKind.UIntPtr => Int("unsigned long", 8, signed: false),
        PrimitiveKind.Single => builder.AddFloat("float", 4),
        PrimitiveKind.Double => builder.AddFloat("double", 8),
        _ => throw new ArgumentOutOfRangeException(nameof(p), p.Kind, "unknown primitive"),
    };

    uint Enum(EnumType e)
    {
        var values = e.Members.Select(m => (CIdentifier.From(m.Name), Normalize(m.Value, e))).ToArray();
        bool signed = e.Underlying.IsSigned;
        return e.Size == 8
            ? builder.AddEnum64(names[e], 8, signed, values)
            : builder.AddEnum(names[e], (uint)e.Size, signed, values);
    }

    /// <summary>Unsigned enums keep the value's bits zero-extended to their size (what ENUM's 32 bits and ENUM64 expect).</summary>
    static long Normalize(long value, EnumType e) => e.Underlying.IsSigned || e.Size == 8
        ? value
        : (long)((ulong)value & (e.Size == 4 ? 0xffff_ffffUL : e.Size == 2 ? 0xffffUL : 0xffUL));

    uint Struct(StructType s)
    {
        string name = names[s];
        uint size = (uint)s.Size;
        // Reserve the id first so that a member pointing back at this struct finds it (no FWD needed).
        uint id = builder.AddStruct(name, size);
        ids[s] = id;
        var members = new List<BtfMember>(s.Fields.Count);
        if (s.InlineArrayLength > 0 && s.Fields.Count == 1)
        {
            FieldModel element = s.Fields[0];
            members.Add(new BtfMember(CIdentifier.From(element.Name), Array(TypeId(element.Type), (uint)s.InlineArrayLength), 0, 0));
        }
        else
        {
            foreach (FieldModel f in s.Fields.OrderBy(f => f.Offset))
            {
                uint type = (f.FixedBuffer ?? (f.Type as StructType)?.FixedBuffer) is { } buffer
                    ? Array(TypeId(buffer.Element), (uint)buffer.Length)
                    : TypeId(f.Type);
                members.Add(new BtfMember(CIdentifier.From(f.Name), type, (uint)f.Offset * 8, 0));
            }
        }
        builder.Replace(id, new BtfType { Kind = BtfKind.Struct, Name = name, Size = size, Members = members });
        return id;
    }
}
