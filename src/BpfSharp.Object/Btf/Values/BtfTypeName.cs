namespace BpfSharp.Btf.Values;

/// <summary>A type as a short C spelling for messages and listings: <c>struct event</c>, <c>__u32</c>, <c>char[16]</c>, <c>struct sock *</c>.</summary>
public static class BtfTypeName
{
    const int MaxDepth = 16;

    /// <summary>The C spelling of type <paramref name="id"/> (a VAR gives its variable's type).</summary>
    public static string Describe(BtfSpec btf, uint id) => Describe(btf, id, 0);

    static string Describe(BtfSpec btf, uint id, int depth)
    {
        ArgumentNullException.ThrowIfNull(btf);
        if (id == 0) return "void";
        if (depth > MaxDepth) return "…";
        BtfType t = btf[id];
        string Named(string keyword) => t.Name.Length > 0 ? $"{keyword} {t.Name}" : $"{keyword} <anon>";
        return t.Kind switch
        {
            BtfKind.Var => Describe(btf, t.TypeId, depth + 1),
            BtfKind.Struct => Named("struct"),
            BtfKind.Union => Named("union"),
            BtfKind.Enum or BtfKind.Enum64 => Named("enum"),
            BtfKind.Forward => Named(t.KindFlag ? "union" : "struct"),
            BtfKind.Pointer => Describe(btf, t.TypeId, depth + 1) + " *",
            BtfKind.Array => $"{Describe(btf, t.ElementTypeId, depth + 1)}[{t.ElementCount}]",
            BtfKind.Const => "const " + Describe(btf, t.TypeId, depth + 1),
            BtfKind.Volatile => "volatile " + Describe(btf, t.TypeId, depth + 1),
            BtfKind.Restrict => Describe(btf, t.TypeId, depth + 1) + " restrict",
            BtfKind.TypeTag => Describe(btf, t.TypeId, depth + 1),
            BtfKind.FuncProto => "function",
            BtfKind.DataSection => $"section {t.Name}",
            _ => t.Name.Length > 0 ? t.Name : t.Kind.ToString(),
        };
    }
}
