using BpfSharp.Btf;

namespace BpfSharp.Cli.Commands;

/// <summary>A type as a short C spelling (<c>struct event</c>, <c>__u32</c>, <c>char[16]</c>, <c>struct sock *</c>) for listings.</summary>
static class BtfTypeNames
{
    public static string Describe(BtfSpec btf, uint id, int depth = 0)
    {
        if (id == 0) return "void";
        if (depth > 16) return "…";
        BtfType t = btf[id];
        if (t.Kind == BtfKind.Var) return Describe(btf, t.TypeId, depth + 1);
        string named(string keyword) => t.Name.Length > 0 ? $"{keyword} {t.Name}" : $"{keyword} <anon>";
        return t.Kind switch
        {
            BtfKind.Struct => named("struct"),
            BtfKind.Union => named("union"),
            BtfKind.Enum or BtfKind.Enum64 => named("enum"),
            BtfKind.Forward => named(t.KindFlag ? "union" : "struct"),
            BtfKind.Pointer => Describe(btf, t.TypeId, depth + 1) + " *",
            BtfKind.Array => $"{Describe(btf, t.ElementTypeId, depth + 1)}[{t.ElementCount}]",
            BtfKind.Const => "const " + Describe(btf, t.TypeId, depth + 1),
            BtfKind.Volatile => "volatile " + Describe(btf, t.TypeId, depth + 1),
            BtfKind.Restrict => Describe(btf, t.TypeId, depth + 1) + " restrict",
            BtfKind.TypeTag => Describe(btf, t.TypeId, depth + 1),
            BtfKind.FuncProto => "function",
            _ => t.Name.Length > 0 ? t.Name : t.Kind.ToString(),
        };
    }
}
