namespace BpfSharp.Objects;

/// <summary>An <c>extern</c> the loader must resolve: a <c>.kconfig</c> value or a <c>.ksyms</c> kernel symbol.</summary>
public sealed record ExternDefinition
{
    public required string Name { get; init; }
    public required ExternKind Kind { get; init; }
    /// <summary><c>__weak</c>: an unresolved weak extern is 0 / a null kfunc, not an error.</summary>
    public bool IsWeak { get; init; }
    /// <summary>The extern's BTF VAR (kconfig, ksym variable) or FUNC (kfunc) in the object's BTF, or 0.</summary>
    public uint BtfTypeId { get; init; }
    /// <summary>
    /// The type the extern was declared with, typedefs and qualifiers skipped: the kconfig value's type, a ksym
    /// variable's type (0 for a typeless <c>extern const void x __ksym</c>, resolved through kallsyms), a kfunc's
    /// FUNC_PROTO. Recorded before the BTF fix-up rewrites <c>.ksyms</c> variables to <c>int</c>.
    /// </summary>
    public uint TargetTypeId { get; init; }
    /// <summary>For kconfig externs: the size in bytes and the offset assigned in the <c>.kconfig</c> map.</summary>
    public uint Size { get; init; }
    public uint Offset { get; init; }
}

public enum ExternKind
{
    Kconfig,
    KsymVariable,
    KsymFunction,
}
