using System.Text;
using BpfSharp.Btf;

namespace BpfSharp.AbiGen;

/// <summary>
/// Emits a kernel struct as an explicit-layout C# struct. Nested structs and unions are flattened: each leaf
/// field gets its absolute offset and a name made of its path (anonymous members add nothing to the path),
/// so overlapping union members overlap in C# too.
/// </summary>
static class StructGenerator
{
    public static string Generate(BtfSpec btf, string source, IEnumerable<(string KernelName, string CSharpName)> structs)
    {
        var sb = new StringBuilder(Naming.Header(source));
        sb.AppendLine("using System.Runtime.InteropServices;");
        sb.AppendLine();
        sb.AppendLine("namespace BpfSharp.Abi;");
        foreach (var (kernelName, csName) in structs)
        {
            BtfType t = btf.Find(kernelName, BtfKind.Struct) ?? btf.Find(kernelName, BtfKind.Union)
                ?? throw new InvalidOperationException($"no struct or union {kernelName} in BTF");
            sb.AppendLine();
            AppendStruct(sb, btf, t, csName, $"<c>{(t.Kind == BtfKind.Union ? "union" : "struct")} {kernelName}</c>");
        }
        return sb.ToString();
    }

    public static void AppendStruct(StringBuilder sb, BtfSpec btf, BtfType aggregate, string csName, string what)
    {
        var fields = new List<Field>();
        Flatten(btf, aggregate, 0, "", fields);
        var seen = new HashSet<string>();
        foreach (Field f in fields)
            if (!seen.Add(f.Name)) throw new InvalidOperationException($"{csName}: two fields flatten to {f.Name}");

        sb.AppendLine($"/// <summary>The kernel's {what}, {aggregate.Size} bytes.</summary>");
        sb.AppendLine($"[StructLayout(LayoutKind.Explicit, Size = {aggregate.Size})]");
        sb.AppendLine($"public unsafe partial struct {csName}");
        sb.AppendLine("{");
        var bitfieldUnits = new HashSet<uint>();
        foreach (Field f in fields)
        {
            if (f.BitfieldSize == 0)
            {
                string decl = f.Count > 0 ? $"fixed {f.CSharpType} {f.Name}[{f.Count}]" : $"{f.CSharpType} {f.Name}";
                sb.AppendLine($"    [FieldOffset({f.BitOffset / 8})] public {decl};");
                continue;
            }
            // A bitfield: its storage unit (the 4 bytes containing it) is a private field; the bits are a property.
            uint unit = f.BitOffset / 32 * 4;
            int shift = (int)(f.BitOffset - unit * 8);
            if (bitfieldUnits.Add(unit))
                sb.AppendLine($"    [FieldOffset({unit})] uint bitfields{unit};");
            uint mask = f.BitfieldSize == 32 ? uint.MaxValue : (1u << f.BitfieldSize) - 1;
            sb.AppendLine($"    public uint {f.Name}");
            sb.AppendLine("    {");
            sb.AppendLine($"        readonly get => (bitfields{unit} >> {shift}) & 0x{mask:x}u;");
            sb.AppendLine($"        set => bitfields{unit} = (bitfields{unit} & ~(0x{mask:x}u << {shift})) | ((value & 0x{mask:x}u) << {shift});");
            sb.AppendLine("    }");
        }
        sb.AppendLine("}");
    }

    sealed record Field(string Name, uint BitOffset, string CSharpType, uint Count, byte BitfieldSize);

    static void Flatten(BtfSpec btf, BtfType aggregate, uint baseBits, string prefix, List<Field> fields)
    {
        foreach (BtfMember m in aggregate.Members)
        {
            uint bits = baseBits + m.BitOffset;
            BtfType t = btf.SkipModifiers(m.TypeId);
            string name = prefix + Naming.Pascal(m.Name);
            switch (t.Kind)
            {
                case BtfKind.Struct or BtfKind.Union:
                    Flatten(btf, t, bits, m.Name.Length == 0 ? prefix : name, fields);
                    break;
                case BtfKind.Array:
                {
                    BtfType element = btf.SkipModifiers(t.ElementTypeId);
                    fields.Add(new Field(name, bits, Scalar(element), t.ElementCount, 0));
                    break;
                }
                case BtfKind.Pointer:
                    fields.Add(new Field(name, bits, "ulong", 0, 0));
                    break;
                default:
                    fields.Add(new Field(name, bits, Scalar(t), 0, m.BitfieldSize));
                    break;
            }
        }
    }

    static string Scalar(BtfType t)
    {
        bool signed = t.Kind == BtfKind.Int ? (t.IntEncoding & 1) != 0 : t.IsSignedEnum;
        if (t.Kind == BtfKind.Int && (t.IntEncoding & 2) != 0) signed = false; // char arrays become bytes
        if (t.Kind is not (BtfKind.Int or BtfKind.Enum or BtfKind.Enum64))
            throw new InvalidOperationException($"cannot map {t} to a C# scalar");
        return (t.Size, signed) switch
        {
            (1, false) => "byte",
            (1, true) => "sbyte",
            (2, false) => "ushort",
            (2, true) => "short",
            (4, false) => "uint",
            (4, true) => "int",
            (8, false) => "ulong",
            (8, true) => "long",
            _ => throw new InvalidOperationException($"no C# scalar of {t.Size} bytes"),
        };
    }
}
