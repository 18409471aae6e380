namespace BpfSharp.Btf;

/// <summary>The kind of a BTF type, as encoded in bits 24–28 of <c>btf_type.info</c>.</summary>
public enum BtfKind : byte
{
    Unknown = 0,
    Int = 1,
    Pointer = 2,
    Array = 3,
    Struct = 4,
    Union = 5,
    Enum = 6,
    Forward = 7,
    Typedef = 8,
    Volatile = 9,
    Const = 10,
    Restrict = 11,
    Func = 12,
    FuncProto = 13,
    Var = 14,
    DataSection = 15,
    Float = 16,
    DeclTag = 17,
    TypeTag = 18,
    Enum64 = 19,
}
