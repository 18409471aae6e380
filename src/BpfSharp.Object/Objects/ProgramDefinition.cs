using BpfSharp.Abi;
using BpfSharp.Asm;

namespace BpfSharp.Objects;

/// <summary>
/// One program of an object: its section, the type and attach details derived from the section name
/// (libbpf's SEC conventions), and its instructions with every subprogram it calls appended.
/// </summary>
/// <remarks>
/// Instructions are linked: BPF-to-BPF calls and <c>ld_imm64</c> function addresses hold resolved relative
/// offsets. What only the loader can fill in is left as a reference on the instruction
/// (<see cref="Instruction.Reference"/>):
/// <list type="bullet">
/// <item><c>ld_imm64</c> with source <see cref="LoadImm64Source.MapFd"/> and reference = a map's <see cref="MapDefinition.Name"/>;</item>
/// <item><c>ld_imm64</c> with source <see cref="LoadImm64Source.MapValue"/>, reference = a data map's name, and the
/// offset into its value in the upper half of the constant (globals, <c>.kconfig</c> externs);</item>
/// <item><c>ld_imm64</c> with source <see cref="LoadImm64Source.BtfId"/> and reference = a <c>.ksyms</c> variable extern's name;</item>
/// <item>a kfunc call (<see cref="CallKind.Kfunc"/>) with reference = a <c>.ksyms</c> function extern's name.</item>
/// </list>
/// </remarks>
public sealed record ProgramDefinition
{
    /// <summary>The function's symbol name.</summary>
    public required string Name { get; init; }
    /// <summary>The ELF section the program came from, e.g. <c>tracepoint/syscalls/sys_enter_openat</c>.</summary>
    public required string SectionName { get; init; }
    public required BpfProgramType Type { get; init; }
    public BpfAttachType? ExpectedAttachType { get; init; }
    /// <summary>
    /// What the section name says to attach to (the part after the prefix: a tracepoint "category/name", a kernel
    /// function, a cgroup hook's target, "binary:symbol" for uprobes…), or null.
    /// </summary>
    public string? AttachTarget { get; init; }
    /// <summary>The SEC convention that matched (for example <c>tp_btf+</c>), or null when the type is unknown.</summary>
    public string? Convention { get; init; }
    /// <summary>BPF_F_SLEEPABLE and friends implied by the section name (<c>.s</c> suffixes, <c>xdp.frags</c>).</summary>
    public ProgramLoadFlags Flags { get; init; }
    /// <summary>False when the section name starts with <c>?</c> (libbpf's "not loaded unless asked").</summary>
    public bool Autoload { get; init; } = true;
    public required IReadOnlyList<Instruction> Instructions { get; init; }
    /// <summary>The instruction index (not slot) where each appended subprogram starts, by name; the program itself is at 0.</summary>
    public IReadOnlyDictionary<string, int> Functions { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<FuncInfoRecord> FuncInfo { get; init; } = [];
    public IReadOnlyList<LineInfoRecord> LineInfo { get; init; } = [];
    public IReadOnlyList<CoreRelocationRecord> CoreRelocations { get; init; } = [];
    /// <summary>The ELF relocations applied to this program, for inspection.</summary>
    public IReadOnlyList<RelocationRecord> Relocations { get; init; } = [];

    public override string ToString() => $"{Name} ({SectionName}, {Type}, {Instructions.Count} instructions)";
}

/// <summary>A <c>bpf_func_info</c> record: the function starting at instruction slot <paramref name="Slot"/> has BTF FUNC <paramref name="TypeId"/>.</summary>
public readonly record struct FuncInfoRecord(int Slot, uint TypeId);

/// <summary>
/// A <c>bpf_line_info</c> record with its strings resolved (the loader writes them back into the BTF string table it loads).
/// </summary>
public readonly record struct LineInfoRecord(int Slot, string FileName, string LineText, int Line, int Column)
{
    /// <summary>Where <see cref="FileName"/> is in the string section of <see cref="ObjectSpec.RawBtf"/> (0 when built by hand).</summary>
    public uint FileNameOffset { get; init; }
    /// <summary>Where <see cref="LineText"/> is in the string section of <see cref="ObjectSpec.RawBtf"/> (0 when built by hand).</summary>
    public uint LineTextOffset { get; init; }
}

/// <summary>
/// A <c>bpf_core_relo</c> record: instruction slot, the local BTF type id (root of the access), the access
/// string (e.g. <c>0:1:2</c>) and the kind.
/// </summary>
public readonly record struct CoreRelocationRecord(int Slot, uint TypeId, string AccessString, CoreRelocationKind Kind);

/// <summary>The CO-RE relocation kinds (<c>enum bpf_core_relo_kind</c>).</summary>
public enum CoreRelocationKind : uint
{
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLShiftU64 = 4,
    FieldRShiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
    EnumValueExists = 10,
    EnumValue = 11,
    TypeMatches = 12,
}

/// <summary>One ELF relocation as applied to a program: where, against which symbol, and what it became.</summary>
public sealed record RelocationRecord(int Slot, string Symbol, string SymbolSection, RelocationTarget Target);

/// <summary>What an ELF relocation in a program refers to.</summary>
public enum RelocationTarget
{
    Map,
    GlobalData,
    Subprogram,
    CallbackAddress,
    KconfigExtern,
    KsymVariable,
    KsymFunction,
}
