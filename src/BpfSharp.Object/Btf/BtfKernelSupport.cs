namespace BpfSharp.Btf;

/// <summary>
/// The BTF a kernel accepts, kind by kind (each arrived in a different kernel release). The runtime probes these
/// (<c>BpfSharp.Features.BtfFeatureProbe</c>); <see cref="BtfSanitizer"/> rewrites what is missing.
/// </summary>
[Flags]
public enum BtfKernelSupport
{
    None = 0,
    /// <summary>BPF_BTF_LOAD itself, with INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF and qualifiers.</summary>
    Btf = 1 << 0,
    /// <summary>FUNC and FUNC_PROTO.</summary>
    Func = 1 << 1,
    /// <summary>FUNC with global linkage.</summary>
    GlobalFunc = 1 << 2,
    /// <summary>VAR and DATASEC.</summary>
    DataSection = 1 << 3,
    /// <summary>DATASEC names that start with '?' (libbpf's optional sections).</summary>
    QuestionMarkDataSection = 1 << 4,
    /// <summary>FLOAT.</summary>
    Float = 1 << 5,
    /// <summary>DECL_TAG.</summary>
    DeclTag = 1 << 6,
    /// <summary>TYPE_TAG.</summary>
    TypeTag = 1 << 7,
    /// <summary>ENUM64, and signed ENUM (the kind flag on ENUM came with it).</summary>
    Enum64 = 1 << 8,
    /// <summary>Everything this enum names.</summary>
    All = Btf | Func | GlobalFunc | DataSection | QuestionMarkDataSection | Float | DeclTag | TypeTag | Enum64,
}
