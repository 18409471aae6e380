using BpfSharp.Objects;

namespace BpfSharp.Btf.Ext;

/// <summary>The records of one kind for one ELF section, as <c>.BTF.ext</c> groups them (<c>btf_ext_info_sec</c>).</summary>
public sealed record BtfExtSection<T>(string SectionName, IReadOnlyList<T> Records);

/// <summary>A <c>bpf_func_info</c> record as clang writes it: the function starting at byte <paramref name="Offset"/> of its section has BTF FUNC <paramref name="TypeId"/>.</summary>
public readonly record struct BtfFuncInfo(uint Offset, uint TypeId);

/// <summary>
/// A <c>bpf_line_info</c> record as clang writes it, strings resolved: the instruction at byte <paramref name="Offset"/>
/// of its section comes from <paramref name="FileName"/>, line <paramref name="Line"/>, column <paramref name="Column"/>.
/// </summary>
public readonly record struct BtfLineInfo(uint Offset, string FileName, string LineText, uint Line, uint Column)
{
    /// <summary>The largest line number and column the 22/10-bit packing of <c>line_col</c> holds.</summary>
    public const uint MaxLine = (1u << 22) - 1, MaxColumn = (1u << 10) - 1;

    /// <summary>Where <see cref="FileName"/> is in the BTF string section (set by the parser).</summary>
    public uint FileNameOffset { get; init; }
    /// <summary>Where <see cref="LineText"/> is in the BTF string section (set by the parser).</summary>
    public uint LineTextOffset { get; init; }
}

/// <summary>
/// A <c>bpf_core_relo</c> record, strings resolved: the instruction at byte <paramref name="Offset"/> of its section
/// accesses <paramref name="AccessString"/> (e.g. <c>0:1:2</c>) from local type <paramref name="TypeId"/>.
/// </summary>
public readonly record struct BtfCoreRelocation(uint Offset, uint TypeId, string AccessString, CoreRelocationKind Kind)
{
    /// <summary>Where <see cref="AccessString"/> is in the BTF string section (set by the parser).</summary>
    public uint AccessStringOffset { get; init; }
}
