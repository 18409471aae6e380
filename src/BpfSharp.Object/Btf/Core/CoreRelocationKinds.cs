using BpfSharp.Objects;

namespace BpfSharp.Btf.Core;

/// <summary>How each CO-RE relocation kind is resolved, and its name in libbpf's messages.</summary>
public static class CoreRelocationKinds
{
    /// <summary>Field relocations: byte offset/size, exists, signed, lshift/rshift.</summary>
    public static bool IsFieldBased(this CoreRelocationKind kind) => kind <= CoreRelocationKind.FieldRShiftU64;

    /// <summary>Type relocations: type id local/target, type exists/size/matches.</summary>
    public static bool IsTypeBased(this CoreRelocationKind kind) =>
        kind is >= CoreRelocationKind.TypeIdLocal and <= CoreRelocationKind.TypeSize or CoreRelocationKind.TypeMatches;

    /// <summary>Enumerator relocations: enum value exists/value.</summary>
    public static bool IsEnumValueBased(this CoreRelocationKind kind) =>
        kind is CoreRelocationKind.EnumValueExists or CoreRelocationKind.EnumValue;

    /// <summary>The kind as libbpf prints it (<c>byte_off</c>, <c>field_exists</c>, <c>enumval_value</c>…).</summary>
    public static string LibbpfName(this CoreRelocationKind kind) => kind switch
    {
        CoreRelocationKind.FieldByteOffset => "byte_off",
        CoreRelocationKind.FieldByteSize => "byte_sz",
        CoreRelocationKind.FieldExists => "field_exists",
        CoreRelocationKind.FieldSigned => "signed",
        CoreRelocationKind.FieldLShiftU64 => "lshift_u64",
        CoreRelocationKind.FieldRShiftU64 => "rshift_u64",
        CoreRelocationKind.TypeIdLocal => "local_type_id",
        CoreRelocationKind.TypeIdTarget => "target_type_id",
        CoreRelocationKind.TypeExists => "type_exists",
        CoreRelocationKind.TypeMatches => "type_matches",
        CoreRelocationKind.TypeSize => "type_size",
        CoreRelocationKind.EnumValueExists => "enumval_exists",
        CoreRelocationKind.EnumValue => "enumval_value",
        _ => "unknown",
    };
}
