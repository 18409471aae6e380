namespace BpfSharp.Btf;

/// <summary>
/// Rewrites BTF for a kernel that lacks some kinds, the way libbpf does before loading an object's BTF: every type
/// keeps its id (so maps, func_info and line_info still point at the right ids); only types the kernel would refuse
/// are replaced by ones it accepts and that have the same size where a size matters.
/// </summary>
/// <remarks>
/// The replacements, checked in this order for each type:
/// <list type="bullet">
/// <item>VAR without DataSection, DECL_TAG without DeclTag → a 1-byte INT of the same name.</item>
/// <item>DATASEC without DataSection → a STRUCT of the same size ('.' and '?' in the name become '_'), one member per
/// variable: named after the variable, at its offset, of its (now INT) type.</item>
/// <item>DATASEC named "?…" without QuestionMarkDataSection → the '?' becomes '_'.</item>
/// <item>FUNC_PROTO without Func → a 4-byte ENUM, one enumerator per parameter (value = the parameter's type id).</item>
/// <item>FUNC without Func → a TYPEDEF of its (now ENUM) prototype.</item>
/// <item>FUNC without GlobalFunc → static linkage.</item>
/// <item>FLOAT without Float → an anonymous empty STRUCT of the same size.</item>
/// <item>TYPE_TAG without TypeTag → an anonymous CONST of the same type.</item>
/// <item>ENUM without Enum64 → the signed flag cleared.</item>
/// <item>ENUM64 without Enum64 → a UNION of the same size whose members (named after the enumerators) are all a 1-byte
/// INT "enum64_placeholder", added once at the end.</item>
/// </list>
/// One difference from libbpf: parameters without a name become enumerators named <c>argN</c> instead of nameless
/// ones. Kernels that lack FUNC never checked enumerator names; every later kernel refuses nameless ones, so this
/// keeps the output loadable everywhere.
/// </remarks>
public static class BtfSanitizer
{
    /// <summary>The spec itself when the kernel supports everything it uses, else a rewritten copy (same base for split BTF).</summary>
    public static BtfSpec Sanitize(BtfSpec spec, BtfKernelSupport support)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return NeedsSanitizing(spec, support) ? SanitizeToBuilder(spec, support).ToSpec() : spec;
    }

    /// <summary>True when some type of <paramref name="spec"/> is one the kernel would refuse.</summary>
    public static bool NeedsSanitizing(BtfSpec spec, BtfKernelSupport support)
    {
        ArgumentNullException.ThrowIfNull(spec);
        for (uint id = spec.FirstTypeId; id < spec.TypeCount; id++)
            if (Replacement(spec, spec[id], support, placeholder: 0) is not null) return true;
        return false;
    }

    /// <summary>
    /// The rewritten types in a builder, so the caller can still add strings (line info) or types before building.
    /// </summary>
    public static BtfBuilder SanitizeToBuilder(BtfSpec spec, BtfKernelSupport support)
    {
        ArgumentNullException.ThrowIfNull(spec);
        BtfBuilder builder = BtfBuilder.From(spec);
        uint placeholder = 0;
        for (uint id = spec.FirstTypeId; id < spec.TypeCount; id++)
        {
            BtfType t = spec[id];
            if (t.Kind == BtfKind.Enum64 && !support.HasFlag(BtfKernelSupport.Enum64) && placeholder == 0)
                placeholder = builder.AddInt("enum64_placeholder", 1);
            if (Replacement(spec, t, support, placeholder) is { } replacement) builder.Replace(id, replacement);
        }
        return builder;
    }

    static BtfType? Replacement(BtfSpec spec, BtfType t, BtfKernelSupport support, uint placeholder)
    {
        bool dataSection = support.HasFlag(BtfKernelSupport.DataSection);
        bool func = support.HasFlag(BtfKernelSupport.Func);
        bool enum64 = support.HasFlag(BtfKernelSupport.Enum64);
        switch (t.Kind)
        {
            case BtfKind.Var when !dataSection:
            case BtfKind.DeclTag when !support.HasFlag(BtfKernelSupport.DeclTag):
                // A 1-byte INT: no bigger than the smallest variable it stands for.
                return new BtfType { Id = t.Id, Kind = BtfKind.Int, Name = t.Name, Size = 1, IntBits = 8 };
            case BtfKind.DataSection when !dataSection:
                return new BtfType
                {
                    Id = t.Id, Kind = BtfKind.Struct, Name = t.Name.Replace('.', '_').Replace('?', '_'), Size = t.Size,
                    Members = [.. t.Variables.Select(v => new BtfMember(spec[v.TypeId].Name, v.TypeId, v.Offset * 8, 0))],
                };
            case BtfKind.DataSection when !support.HasFlag(BtfKernelSupport.QuestionMarkDataSection) && t.Name.StartsWith('?'):
                return t with { Name = "_" + t.Name[1..] };
            case BtfKind.FuncProto when !func:
                return new BtfType
                {
                    Id = t.Id, Kind = BtfKind.Enum, Size = 4,
                    EnumValues = [.. t.Parameters.Select((p, i) => new BtfEnumValue(p.Name.Length > 0 ? p.Name : $"arg{i}", p.TypeId))],
                };
            case BtfKind.Func when !func:
                return new BtfType { Id = t.Id, Kind = BtfKind.Typedef, Name = t.Name, TypeId = t.TypeId };
            case BtfKind.Func when !support.HasFlag(BtfKernelSupport.GlobalFunc) && (t.Linkage != (int)BtfLinkage.Static || t.KindFlag):
                return t with { Linkage = (int)BtfLinkage.Static, KindFlag = false };
            case BtfKind.Float when !support.HasFlag(BtfKernelSupport.Float):
                // Anonymous: "float" or "double" is no valid struct name.
                return new BtfType { Id = t.Id, Kind = BtfKind.Struct, Size = t.Size };
            case BtfKind.TypeTag when !support.HasFlag(BtfKernelSupport.TypeTag):
                return new BtfType { Id = t.Id, Kind = BtfKind.Const, TypeId = t.TypeId };
            case BtfKind.Enum when !enum64 && t.KindFlag:
                return t with { KindFlag = false };
            case BtfKind.Enum64 when !enum64:
                return new BtfType
                {
                    Id = t.Id, Kind = BtfKind.Union, Name = t.Name, Size = t.Size,
                    Members = [.. t.EnumValues.Select(v => new BtfMember(v.Name, placeholder, 0, 0))],
                };
            default:
                return null;
        }
    }
}
