using System.Text;
using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>
/// Prints parsed types the way <c>bpftool btf dump file X</c> (raw) does, so a test can compare every field of every
/// type with what bpftool read from the same bytes.
/// </summary>
static class BpftoolRawFormat
{
    static readonly string[] Kinds =
    [
        "UNKN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE", "CONST", "RESTRICT",
        "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
    ];

    /// <summary>Asserts that <paramref name="spec"/>'s own types print exactly as in bpftool's output, line by line.</summary>
    public static void AssertSameAsBpftool(BtfSpec spec, string bpftoolOutput)
    {
        string[] expected = bpftoolOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int line = 0;
        for (uint id = spec.FirstTypeId; id < spec.TypeCount; id++)
        {
            foreach (string mine in Render(spec, spec[id]))
            {
                Assert.True(line < expected.Length, $"bpftool printed fewer lines; ours continues with: {mine}");
                if (expected[line] != mine)
                    Assert.Fail($"line {line + 1} differs for type {spec[id]}:\n bpftool: {expected[line]}\n ours:    {mine}");
                line++;
            }
        }
        Assert.Equal(expected.Length, line);
    }

    static string Name(string s) => s.Length == 0 ? "(anon)" : s;

    static IEnumerable<string> Render(BtfSpec spec, BtfType t)
    {
        var head = new StringBuilder($"[{t.Id}] {Kinds[(int)t.Kind]} '{Name(t.Name)}'");
        switch (t.Kind)
        {
            case BtfKind.Int:
                string encoding = t.IntEncoding switch { 0 => "(none)", 1 => "SIGNED", 2 => "CHAR", 4 => "BOOL", _ => "UNKN" };
                head.Append($" size={t.Size} bits_offset={t.IntOffset} nr_bits={t.IntBits} encoding={encoding}");
                yield return head.ToString();
                break;
            case BtfKind.Pointer or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                yield return head.Append($" type_id={t.TypeId}").ToString();
                break;
            case BtfKind.Array:
                yield return head.Append($" type_id={t.ElementTypeId} index_type_id={t.IndexTypeId} nr_elems={t.ElementCount}").ToString();
                break;
            case BtfKind.Struct or BtfKind.Union:
                yield return head.Append($" size={t.Size} vlen={t.Members.Count}").ToString();
                foreach (BtfMember m in t.Members)
                    yield return $"\t'{Name(m.Name)}' type_id={m.TypeId} bits_offset={m.BitOffset}" + (m.BitfieldSize != 0 ? $" bitfield_size={m.BitfieldSize}" : "");
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                yield return head.Append($" encoding={(t.IsSignedEnum ? "SIGNED" : "UNSIGNED")} size={t.Size} vlen={t.EnumValues.Count}").ToString();
                foreach (BtfEnumValue v in t.EnumValues)
                {
                    string value = t.Kind == BtfKind.Enum
                        ? (t.IsSignedEnum ? ((int)v.Value).ToString() : ((uint)v.Value).ToString())
                        : (t.IsSignedEnum ? $"{v.Value}LL" : $"{(ulong)v.Value}ULL");
                    yield return $"\t'{Name(v.Name)}' val={value}";
                }
                break;
            case BtfKind.Forward:
                yield return head.Append($" fwd_kind={(t.IsForwardUnion ? "union" : "struct")}").ToString();
                break;
            case BtfKind.Func:
                yield return head.Append($" type_id={t.TypeId} linkage={Linkage(t.Linkage)}").ToString();
                break;
            case BtfKind.FuncProto:
                yield return head.Append($" ret_type_id={t.TypeId} vlen={t.Parameters.Count}").ToString();
                foreach (BtfParameter p in t.Parameters) yield return $"\t'{Name(p.Name)}' type_id={p.TypeId}";
                break;
            case BtfKind.Var:
                yield return head.Append($" type_id={t.TypeId}, linkage={Linkage(t.Linkage)}").ToString();
                break;
            case BtfKind.DataSection:
                yield return head.Append($" size={t.Size} vlen={t.Variables.Count}").ToString();
                foreach (BtfSectionVariable v in t.Variables)
                {
                    BtfType target = spec[v.TypeId];
                    yield return $"\ttype_id={v.TypeId} offset={v.Offset} size={v.Size} ({Kinds[(int)target.Kind]} '{Name(target.Name)}')";
                }
                break;
            case BtfKind.Float:
                yield return head.Append($" size={t.Size}").ToString();
                break;
            case BtfKind.DeclTag:
                yield return head.Append($" type_id={t.TypeId} component_idx={t.ComponentIndex}").ToString();
                break;
            default:
                yield return head.ToString();
                break;
        }
    }

    static string Linkage(int linkage) => linkage switch { 0 => "static", 1 => "global", 2 => "extern", _ => "(unknown)" };
}
