namespace BpfSharp.Btf;

/// <summary>
/// One member of a struct or union. <see cref="BitOffset"/> counts from the start of the aggregate;
/// <see cref="BitfieldSize"/> is non-zero only for bitfields of a struct or union whose kind flag is set.
/// </summary>
public readonly record struct BtfMember(string Name, uint TypeId, uint BitOffset, byte BitfieldSize)
{
    /// <summary>True when <see cref="BitfieldSize"/> is set.</summary>
    public bool IsBitfield => BitfieldSize != 0;
}

/// <summary>One enumerator of an ENUM or ENUM64 (the value widened to 64 bits, sign-extended when the enum is signed).</summary>
public readonly record struct BtfEnumValue(string Name, long Value);

/// <summary>One parameter of a FUNC_PROTO. A trailing parameter with no name and type 0 marks a variadic function.</summary>
public readonly record struct BtfParameter(string Name, uint TypeId);

/// <summary>One variable of a DATASEC: the VAR (or FUNC, for <c>.ksyms</c>) it places, its byte offset and size.</summary>
public readonly record struct BtfSectionVariable(uint TypeId, uint Offset, uint Size);

/// <summary>Linkage of a FUNC or VAR (<c>btf_func_linkage</c> / <c>BTF_VAR_*</c> share the numbers).</summary>
public enum BtfLinkage
{
    /// <summary>File-local (<c>static</c>).</summary>
    Static = 0,
    /// <summary>Defined here, visible to others.</summary>
    Global = 1,
    /// <summary>Declared here, defined elsewhere (<c>extern</c>, e.g. kfuncs and ksyms).</summary>
    Extern = 2,
}

/// <summary>The bits of <see cref="BtfType.IntEncoding"/>.</summary>
public static class BtfIntEncoding
{
    /// <summary><c>BTF_INT_SIGNED</c>.</summary>
    public const byte Signed = 1;
    /// <summary><c>BTF_INT_CHAR</c>.</summary>
    public const byte Char = 2;
    /// <summary><c>BTF_INT_BOOL</c>.</summary>
    public const byte Bool = 4;
}
