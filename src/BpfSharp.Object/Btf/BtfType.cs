namespace BpfSharp.Btf;

/// <summary>
/// A type as it is encoded in BTF: the common header plus the kind-specific data.
/// Type ids are positions in <see cref="BtfSpec.Types"/>; id 0 is <c>void</c>.
/// </summary>
/// <remarks>
/// Which properties carry data depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item>INT: <see cref="Size"/>, <see cref="IntEncoding"/>, <see cref="IntOffset"/>, <see cref="IntBits"/>.</item>
/// <item>PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG: <see cref="TypeId"/>.</item>
/// <item>ARRAY: <see cref="ElementTypeId"/>, <see cref="IndexTypeId"/>, <see cref="ElementCount"/>.</item>
/// <item>STRUCT, UNION: <see cref="Size"/>, <see cref="Members"/>; <see cref="KindFlag"/> set means members carry bitfield sizes.</item>
/// <item>ENUM, ENUM64: <see cref="Size"/>, <see cref="EnumValues"/>; <see cref="KindFlag"/> set means signed.</item>
/// <item>FWD: <see cref="KindFlag"/> set means <c>union</c>, clear means <c>struct</c>.</item>
/// <item>FUNC: <see cref="TypeId"/> (its FUNC_PROTO), <see cref="Linkage"/>.</item>
/// <item>FUNC_PROTO: <see cref="TypeId"/> (return type), <see cref="Parameters"/>.</item>
/// <item>VAR: <see cref="TypeId"/>, <see cref="Linkage"/>.</item>
/// <item>DATASEC: <see cref="Size"/>, <see cref="Variables"/>.</item>
/// <item>FLOAT: <see cref="Size"/>.</item>
/// <item>DECL_TAG: <see cref="TypeId"/> (the tagged type), <see cref="ComponentIndex"/>; the tag text is <see cref="Name"/>.</item>
/// <item>TYPE_TAG: <see cref="TypeId"/>; the tag text is <see cref="Name"/>.</item>
/// </list>
/// Equality is structural (lists compare element by element), so types parsed from two blobs compare equal when
/// they encode the same thing; <c>with</c> makes modified copies.
/// </remarks>
public sealed record BtfType
{
    /// <summary>The type's id. <see cref="BtfBuilder.Add"/> ignores it and hands out the next id.</summary>
    public uint Id { get; init; }
    /// <summary>What kind of type this is; it decides which other properties carry data.</summary>
    public required BtfKind Kind { get; init; }
    /// <summary>The name; empty for anonymous types. For DECL_TAG and TYPE_TAG, the tag.</summary>
    public string Name { get; init; } = "";
    /// <summary>Bit 31 of <c>info</c>: bitfield members (STRUCT/UNION), signed (ENUM/ENUM64), union (FWD).</summary>
    public bool KindFlag { get; init; }
    /// <summary><c>size</c> for INT, STRUCT, UNION, ENUM, ENUM64, DATASEC, FLOAT; otherwise 0.</summary>
    public uint Size { get; init; }
    /// <summary><c>type</c> for PTR, TYPEDEF, qualifiers, FUNC, FUNC_PROTO (return), VAR, DECL_TAG, TYPE_TAG.</summary>
    public uint TypeId { get; init; }
    /// <summary>INT: encoding (1 signed, 2 char, 4 bool), bit offset and bit count.</summary>
    public byte IntEncoding { get; init; }
    /// <summary>INT: bit offset of the value within its storage (0 in practice).</summary>
    public byte IntOffset { get; init; }
    /// <summary>INT: number of value bits.</summary>
    public byte IntBits { get; init; }
    /// <summary>ARRAY: element type, index type and element count.</summary>
    public uint ElementTypeId { get; init; }
    /// <summary>ARRAY: the index type (clang writes <c>__ARRAY_SIZE_TYPE__</c>).</summary>
    public uint IndexTypeId { get; init; }
    /// <summary>ARRAY: number of elements.</summary>
    public uint ElementCount { get; init; }
    /// <summary>VAR linkage, FUNC linkage (in vlen) or DECL_TAG component index.</summary>
    public int Linkage { get; init; }
    /// <summary>STRUCT, UNION: the members in declaration order.</summary>
    public IReadOnlyList<BtfMember> Members { get; init; } = [];
    /// <summary>ENUM, ENUM64: the enumerators.</summary>
    public IReadOnlyList<BtfEnumValue> EnumValues { get; init; } = [];
    /// <summary>FUNC_PROTO: the parameters.</summary>
    public IReadOnlyList<BtfParameter> Parameters { get; init; } = [];
    /// <summary>DATASEC: the variables it places.</summary>
    public IReadOnlyList<BtfSectionVariable> Variables { get; init; } = [];

    /// <summary>True for ENUM and ENUM64 whose values are signed (the kind flag).</summary>
    public bool IsSignedEnum => (Kind is BtfKind.Enum or BtfKind.Enum64) && KindFlag;

    /// <summary>FUNC and VAR: <see cref="Linkage"/> as an enum.</summary>
    public BtfLinkage LinkageKind => (BtfLinkage)Linkage;

    /// <summary>DECL_TAG: the tagged member or parameter (0-based), or -1 when the tag is on the type itself.</summary>
    public int ComponentIndex
    {
        get => Linkage;
        init => Linkage = value;
    }

    /// <summary>INT: signed encoding.</summary>
    public bool IsSigned => Kind == BtfKind.Int && (IntEncoding & BtfIntEncoding.Signed) != 0;

    /// <summary>INT: char encoding (how C dumpers pick <c>char</c>).</summary>
    public bool IsChar => Kind == BtfKind.Int && (IntEncoding & BtfIntEncoding.Char) != 0;

    /// <summary>INT: bool encoding.</summary>
    public bool IsBool => Kind == BtfKind.Int && (IntEncoding & BtfIntEncoding.Bool) != 0;

    /// <summary>FWD: a forward declaration of a union (kind flag set) rather than of a struct.</summary>
    public bool IsForwardUnion => Kind == BtfKind.Forward && KindFlag;

    /// <summary>FUNC_PROTO ending in <c>...</c>: the last parameter has no name and type 0.</summary>
    public bool IsVariadic => Kind == BtfKind.FuncProto && Parameters.Count > 0 && Parameters[^1] is { TypeId: 0, Name.Length: 0 };

    /// <summary>STRUCT and UNION.</summary>
    public bool IsComposite => Kind is BtfKind.Struct or BtfKind.Union;

    /// <summary>CONST, VOLATILE, RESTRICT and TYPE_TAG: kinds that qualify another type without changing its layout.</summary>
    public bool IsQualifier => Kind is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag;

    /// <summary>Structural equality: every property, lists element by element.</summary>
    public bool Equals(BtfType? other) =>
        other is not null
        && Id == other.Id && Kind == other.Kind && KindFlag == other.KindFlag && Size == other.Size && TypeId == other.TypeId
        && IntEncoding == other.IntEncoding && IntOffset == other.IntOffset && IntBits == other.IntBits
        && ElementTypeId == other.ElementTypeId && IndexTypeId == other.IndexTypeId && ElementCount == other.ElementCount
        && Linkage == other.Linkage && Name == other.Name
        && Members.SequenceEqual(other.Members) && EnumValues.SequenceEqual(other.EnumValues)
        && Parameters.SequenceEqual(other.Parameters) && Variables.SequenceEqual(other.Variables);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Kind, Name, Size, TypeId, Members.Count, EnumValues.Count, Parameters.Count);

    /// <summary><c>[id] Kind 'name'</c>.</summary>
    public override string ToString() => $"[{Id}] {Kind} '{Name}'";
}
