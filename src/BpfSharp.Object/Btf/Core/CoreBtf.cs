namespace BpfSharp.Btf.Core;

/// <summary>
/// The BTF primitives CO-RE relocation is defined in terms of (libbpf's <c>skip_mods_and_typedefs</c>,
/// <c>btf__resolve_size</c>, essential names), written so that malformed BTF yields null or -1 instead of throwing,
/// because the relocation rules treat such failures as "not found" or as one specific error.
/// </summary>
internal static class CoreBtf
{
    /// <summary>Pointers in target BTF are 8 bytes: BPF is 64-bit and so is every kernel we load into.</summary>
    public const int PointerSize = 8;

    /// <summary>The most accessors one access string may have (libbpf's <c>BPF_CORE_SPEC_MAX_LEN</c>).</summary>
    public const int MaxSpecLength = 64;

    // Legitimate typedef/qualifier chains are a handful long; anything longer is a cycle in malformed BTF.
    const int MaxChain = 256;
    const int MaxResolveDepth = 32;

    public static BtfType? TypeById(BtfSpec btf, uint id) => id < (uint)btf.Types.Count ? btf.Types[(int)id] : null;

    public static bool IsModifierOrTypedef(BtfKind kind) =>
        kind is BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag;

    /// <summary>Follows typedefs and qualifiers; <paramref name="resultId"/> is the id of the type returned. Null on a broken chain.</summary>
    public static BtfType? SkipModifiersAndTypedefs(BtfSpec btf, uint id, out uint resultId)
    {
        resultId = id;
        BtfType? t = TypeById(btf, id);
        for (int hops = 0; t is not null && IsModifierOrTypedef(t.Kind); hops++)
        {
            if (hops == MaxChain) return null;
            resultId = t.TypeId;
            t = TypeById(btf, t.TypeId);
        }
        return t;
    }

    public static BtfType? SkipModifiersAndTypedefs(BtfSpec btf, uint id) => SkipModifiersAndTypedefs(btf, id, out _);

    /// <summary>The size in bytes as libbpf's <c>btf__resolve_size</c> computes it, or -1 when the type has none (void, FWD, FUNC…) or it overflows 32 bits.</summary>
    public static long ResolveSize(BtfSpec btf, uint id)
    {
        uint elements = 1;
        BtfType? t = TypeById(btf, id);
        for (int depth = 0; depth < MaxResolveDepth && t is not null && t.Kind != BtfKind.Unknown; depth++)
        {
            long size;
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                    or BtfKind.DataSection or BtfKind.Float:
                    size = t.Size;
                    break;
                case BtfKind.Pointer:
                    size = PointerSize;
                    break;
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Var
                    or BtfKind.DeclTag or BtfKind.TypeTag:
                    t = TypeById(btf, t.TypeId);
                    continue;
                case BtfKind.Array:
                    if (elements != 0 && t.ElementCount > uint.MaxValue / elements) return -1;
                    elements *= t.ElementCount;
                    t = TypeById(btf, t.ElementTypeId);
                    continue;
                default:
                    return -1;
            }
            if (elements != 0 && size > uint.MaxValue / elements) return -1;
            return elements * size;
        }
        return -1;
    }

    public static bool IsComposite(BtfType t) => t.Kind is BtfKind.Struct or BtfKind.Union;

    public static bool IsAnyEnum(BtfType t) => t.Kind is BtfKind.Enum or BtfKind.Enum64;

    /// <summary>libbpf's <c>btf_kind_core_compat</c>: same kind, or both enums of either width.</summary>
    public static bool KindsCompatible(BtfType a, BtfType b) => a.Kind == b.Kind || (IsAnyEnum(a) && IsAnyEnum(b));

    /// <summary>An INT that is not a deprecated bit-offset integer (the encoding's offset is 0).</summary>
    public static bool IsPlainInt(BtfType t) => t.Kind == BtfKind.Int && t.IntOffset == 0;

    public static bool IsSignedInt(BtfType t) => t.Kind == BtfKind.Int && (t.IntEncoding & 1) != 0;

    /// <summary>The enumerator's 32-bit value as stored in BTF (ENUM), independent of how the reader widened it.</summary>
    public static uint RawEnumValue(BtfEnumValue value) => unchecked((uint)value.Value);

    /// <summary>
    /// The enumerator's value as libbpf hands it to an instruction: an ENUM's 32-bit value sign-extended (libbpf reads
    /// it as <c>__s32</c>), an ENUM64's 64 bits as they are.
    /// </summary>
    public static ulong RelocationEnumValue(BtfType enumType, int index) => enumType.Kind == BtfKind.Enum
        ? unchecked((ulong)(long)(int)RawEnumValue(enumType.EnumValues[index]))
        : unchecked((ulong)enumType.EnumValues[index].Value);

    /// <summary>libbpf's names for BTF kinds in messages (<c>btf_kind_str</c>).</summary>
    public static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Unknown => "void",
        BtfKind.Int => "int",
        BtfKind.Pointer => "ptr",
        BtfKind.Array => "array",
        BtfKind.Struct => "struct",
        BtfKind.Union => "union",
        BtfKind.Enum => "enum",
        BtfKind.Forward => "fwd",
        BtfKind.Typedef => "typedef",
        BtfKind.Volatile => "volatile",
        BtfKind.Const => "const",
        BtfKind.Restrict => "restrict",
        BtfKind.Func => "func",
        BtfKind.FuncProto => "func_proto",
        BtfKind.Var => "var",
        BtfKind.DataSection => "datasec",
        BtfKind.Float => "float",
        BtfKind.DeclTag => "decl_tag",
        BtfKind.TypeTag => "type_tag",
        BtfKind.Enum64 => "enum64",
        _ => "unknown",
    };

    /// <summary><c>[id] kind name</c>, as libbpf names a type in messages.</summary>
    public static string Describe(BtfSpec btf, uint id) => TypeById(btf, id) is { } t
        ? $"[{id}] {KindName(t.Kind)} {(t.Name.Length == 0 ? "<anon>" : t.Name)}"
        : $"[{id}] <out of range>";
}
