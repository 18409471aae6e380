using BpfSharp.Abi;
using BpfSharp.Asm;

namespace BpfSharp.Programs;

/// <summary>Everything BPF_PROG_LOAD needs: the instructions, license and type, plus the optional BTF and attach details.</summary>
public sealed record ProgramLoadOptions
{
    public required BpfProgramType Type { get; init; }
    public required IReadOnlyList<Instruction> Instructions { get; init; }
    /// <summary>"GPL" (or a GPL-compatible license) unlocks the GPL-only helpers.</summary>
    public string License { get; init; } = "GPL";
    /// <summary>Up to 15 characters: letters, digits, '_' and '.'.</summary>
    public string? Name { get; init; }
    public BpfAttachType? ExpectedAttachType { get; init; }
    public ProgramLoadFlags Flags { get; init; }
    /// <summary>
    /// 0: no log unless the load fails (then the load is retried with level 1 to capture why); 1: the log of the
    /// verified paths; 2: every instruction's state; 4 (may be or'ed): statistics. A non-zero level keeps the log on the program.
    /// </summary>
    public uint LogLevel { get; init; }
    /// <summary>The first log buffer size; it grows (up to 256 MiB) when the kernel says it is too small.</summary>
    public int LogSize { get; init; } = 64 * 1024;
    public BtfHandle? Btf { get; init; }
    /// <summary>Raw <c>bpf_func_info</c> records and their size, when <see cref="Btf"/> describes the functions.</summary>
    public ReadOnlyMemory<byte> FuncInfo { get; init; }
    public uint FuncInfoRecordSize { get; init; } = 8;
    /// <summary>Raw <c>bpf_line_info</c> records and their size.</summary>
    public ReadOnlyMemory<byte> LineInfo { get; init; }
    public uint LineInfoRecordSize { get; init; } = 16;
    /// <summary>BTF id of the attach target (tp_btf, fentry, lsm, struct_ops member …).</summary>
    public uint AttachBtfId { get; init; }
    /// <summary>The BTF object holding <see cref="AttachBtfId"/> (0: vmlinux), or the target program for freplace/fentry on BPF.</summary>
    public BpfProgram? AttachProgram { get; init; }
    public uint KernelVersion { get; init; }
    public uint IfIndex { get; init; }
    /// <summary>Maps that instructions reference by index (BPF_PSEUDO_MAP_IDX), in order.</summary>
    public IReadOnlyList<Maps.BpfMap>? FdArray { get; init; }
}
