namespace BpfSharp.Btf;

/// <summary>One member of a struct or union. <see cref="BitOffset"/> counts from the start of the aggregate.</summary>
public readonly record struct BtfMember(string Name, uint TypeId, uint BitOffset, byte BitfieldSize);

/// <summary>One enumerator of an ENUM or ENUM64 (the value widened to 64 bits, sign-extended when the enum is signed).</summary>
public readonly record struct BtfEnumValue(string Name, long Value);

/// <summary>One parameter of a FUNC_PROTO.</summary>
public readonly record struct BtfParameter(string Name, uint TypeId);

/// <summary>One variable of a DATASEC.</summary>
public readonly record struct BtfSectionVariable(uint TypeId, uint Offset, uint Size);

/// <summary>
/// A type as it is encoded in BTF: the common header plus the kind-specific data.
/// Type ids are positions in <see cref="BtfSpec.Types"/>; id 0 is <c>void</c>.
/// </summary>
public sealed class BtfType
{
    public required uint Id { get; init; }
    public required BtfKind Kind { get; init; }
    public required string Name { get; init; }
    public bool KindFlag { get; init; }
    /// <summary><c>size</c> for INT, STRUCT, UNION, ENUM, ENUM64, DATASEC, FLOAT; otherwise 0.</summary>
    public uint Size { get; init; }
    /// <summary><c>type</c> for PTR, TYPEDEF, qualifiers, FUNC, FUNC_PROTO (return), VAR, DECL_TAG, TYPE_TAG.</summary>
    public uint TypeId { get; init; }
    /// <summary>INT: encoding (1 signed, 2 char, 4 bool), bit offset and bit count.</summary>
    public byte IntEncoding { get; init; }
    public byte IntOffset { get; init; }
    public byte IntBits { get; init; }
    /// <summary>ARRAY: element type, index type and element count.</summary>
    public uint ElementTypeId { get; init; }
    public uint IndexTypeId { get; init; }
    public uint ElementCount { get; init; }
    /// <summary>VAR linkage, FUNC linkage (in vlen) or DECL_TAG component index.</summary>
    public int Linkage { get; init; }
    public IReadOnlyList<BtfMember> Members { get; init; } = [];
    public IReadOnlyList<BtfEnumValue> EnumValues { get; init; } = [];
    public IReadOnlyList<BtfParameter> Parameters { get; init; } = [];
    public IReadOnlyList<BtfSectionVariable> Variables { get; init; } = [];

    /// <summary>True for ENUM and ENUM64 whose values are signed (the kind flag).</summary>
    public bool IsSignedEnum => (Kind is BtfKind.Enum or BtfKind.Enum64) && KindFlag;

    public override string ToString() => $"[{Id}] {Kind} '{Name}'";
}
