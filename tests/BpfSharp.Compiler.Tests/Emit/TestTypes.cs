using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Tests.Emit;

/// <summary>TypeModels built by hand with the layouts the CLR gives the equivalent C# types (x64).</summary>
internal static class TestTypes
{
    public static readonly PrimitiveType Bool = new(PrimitiveKind.Bool), Char16 = new(PrimitiveKind.Char),
        U8 = new(PrimitiveKind.Byte), S8 = new(PrimitiveKind.SByte), U16 = new(PrimitiveKind.UInt16), S32 = new(PrimitiveKind.Int32),
        U32 = new(PrimitiveKind.UInt32), S64 = new(PrimitiveKind.Int64), U64 = new(PrimitiveKind.UInt64),
        NInt = new(PrimitiveKind.IntPtr), F32 = new(PrimitiveKind.Single), F64 = new(PrimitiveKind.Double), VoidType = new(PrimitiveKind.Void);

    /// <summary>A struct with explicit field offsets, size and alignment.</summary>
    public static StructType Struct(string name, int size, int alignment, (string Name, TypeModel Type, int Offset)[] fields,
        string ns = "App", TypeModel[]? typeArguments = null, StructLayoutKind layout = StructLayoutKind.Sequential, int pack = 0) =>
        new(name, ns, typeArguments ?? [])
        {
            Fields = [.. fields.Select(f => new FieldModel(f.Name, f.Type, f.Offset))],
            SizeValue = size,
            AlignmentValue = alignment,
            LayoutKind = layout,
            Pack = pack,
        };

    /// <summary>A sequential struct laid out as the CLR does without Pack: each field at its natural alignment.</summary>
    public static StructType Sequential(string name, params (string Name, TypeModel Type)[] fields) => SequentialIn("App", name, [], fields);

    public static StructType SequentialIn(string ns, string name, TypeModel[] typeArguments, params (string Name, TypeModel Type)[] fields)
    {
        int offset = 0, alignment = 1;
        var placed = new List<(string, TypeModel, int)>();
        foreach ((string n, TypeModel t) in fields)
        {
            int a = Math.Max(1, t.Alignment);
            offset = (offset + a - 1) / a * a;
            placed.Add((n, t, offset));
            offset += t.Size;
            alignment = Math.Max(alignment, a);
        }
        int size = Math.Max(1, (offset + alignment - 1) / alignment * alignment);
        return Struct(name, size, alignment, [.. placed], ns, typeArguments);
    }

    /// <summary>The helper struct C# generates for <c>fixed T name[N]</c>, and the field that holds it.</summary>
    public static FieldModel Fixed(string name, PrimitiveType element, int length, int offset)
    {
        var helper = new StructType($"<{name}>e__FixedBuffer", "App", [])
        {
            Fields = [new FieldModel("FixedElementField", element, 0)],
            FixedBuffer = (element, length),
            SizeValue = element.Size * length,
            AlignmentValue = element.Alignment,
        };
        return new FieldModel(name, helper, offset) { FixedBuffer = (element, length) };
    }

    /// <summary>An <c>[InlineArray(length)]</c> struct of <paramref name="element"/>.</summary>
    public static StructType InlineArray(string name, TypeModel element, int length) =>
        new(name, "App", [])
        {
            Fields = [new FieldModel("_element0", element, 0)],
            InlineArrayLength = length,
            SizeValue = element.Size * length,
            AlignmentValue = element.Alignment,
        };

    public static StructType WithFields(StructType s, params FieldModel[] fields)
    {
        s.Fields = fields;
        return s;
    }

    public static EnumType Enum(string name, PrimitiveType underlying, params (string, long)[] members) =>
        new(name, "App", underlying, [.. members.Select(m => new EnumMember(m.Item1, m.Item2))]);

    /// <summary>System.Int128: two ulongs, 16-byte aligned.</summary>
    public static StructType Int128Type { get; } = Struct("Int128", 16, 16, [("_lower", U64, 0), ("_upper", U64, 8)], ns: "System");
}
