using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

/// <summary>Machine register ids: r0–r10 are 0–10; virtual registers (the IR's and the backend's temporaries) follow.</summary>
internal static class MachineRegister
{
    public const int FramePointer = 10;
    public const int PhysicalCount = 11;
    /// <summary>Registers the allocator may assign: r0–r9.</summary>
    public const int Allocatable = 10;
    public const int None = -1;

    public static bool IsPhysical(int id) => id < PhysicalCount;

    /// <summary>r0–r5: what every call clobbers.</summary>
    public static readonly int[] CallClobbered = [0, 1, 2, 3, 4, 5];
}

/// <summary>Which field of an instruction gets the frame offset of <see cref="MachineInstruction.Slot"/> added.</summary>
internal enum SlotField { None, Offset, Immediate }

/// <summary>
/// An eBPF instruction over machine registers, before allocation: the encoding comes from <see cref="Template"/>
/// and the register fields from <see cref="Dst"/>/<see cref="Src"/> once registers are assigned.
/// <see cref="Defs"/> and <see cref="Uses"/> are what liveness sees, implicit registers (r0 of cmpxchg, call
/// clobbers) included.
/// </summary>
internal sealed class MachineInstruction
{
    public required Instruction Template { get; init; }
    public int Dst { get; set; } = MachineRegister.None;
    public int Src { get; set; } = MachineRegister.None;
    public int[] Defs { get; set; } = [];
    public int[] Uses { get; set; } = [];

    /// <summary>A 64-bit register-to-register <c>mov</c>: a coalescing candidate, and free when both sides share a register.</summary>
    public bool IsCopy { get; init; }

    /// <summary>Must stay even when nothing reads what it defines (stores, calls, atomics).</summary>
    public bool HasSideEffects { get; init; }

    public StackSlot? Slot { get; init; }
    public SlotField SlotField { get; init; }
    public SourceLocation? Source { get; init; }

    public void Rename(int from, int to)
    {
        if (Dst == from) Dst = to;
        if (Src == from) Src = to;
        Defs = Replace(Defs, from, to);
        Uses = Replace(Uses, from, to);
    }

    static int[] Replace(int[] ids, int from, int to)
    {
        if (Array.IndexOf(ids, from) < 0) return ids;
        int[] copy = (int[])ids.Clone();
        for (int i = 0; i < copy.Length; i++) if (copy[i] == from) copy[i] = to;
        return copy;
    }

    public override string ToString() => $"{Template} [dst {Dst}, src {Src}; def {string.Join(",", Defs)}; use {string.Join(",", Uses)}]";
}

internal enum TerminatorKind { Jump, Branch, Exit }

/// <summary>How a machine block ends; branch direction and jumps are decided at layout time.</summary>
internal sealed class MachineTerminator
{
    public TerminatorKind Kind { get; init; }
    public int Target { get; set; }          // Jump target, Branch's true target
    public int FalseTarget { get; set; }     // Branch only
    public Condition Condition { get; init; }
    public int Left { get; set; } = MachineRegister.None;
    public int Right { get; set; } = MachineRegister.None; // None: compare with Immediate
    public int Immediate { get; init; }
    public bool Is32 { get; init; }
    /// <summary>Exit reads r0 (every exit except a void subprogram's).</summary>
    public bool ReadsR0 { get; init; }
    public SourceLocation? Source { get; init; }

    public IEnumerable<int> Successors => Kind switch
    {
        TerminatorKind.Jump => [Target],
        TerminatorKind.Branch => [Target, FalseTarget],
        _ => [],
    };

    public IEnumerable<int> Uses
    {
        get
        {
            if (Kind == TerminatorKind.Exit) return ReadsR0 ? [0] : [];
            if (Kind != TerminatorKind.Branch) return [];
            return Right == MachineRegister.None ? [Left] : [Left, Right];
        }
    }

    public void Rename(int from, int to)
    {
        if (Left == from) Left = to;
        if (Right == from) Right = to;
    }
}

internal sealed class MachineBlock(int index)
{
    public int Index { get; } = index;
    public List<MachineInstruction> Code { get; } = [];
    public MachineTerminator Terminator { get; set; } = null!;
    public int LoopDepth { get; set; }
}

/// <summary>A function as machine code over virtual registers; block 0 is the prologue.</summary>
internal sealed class MachineFunction(IrFunction source)
{
    public IrFunction Source { get; } = source;
    public List<MachineBlock> Blocks { get; } = [];
    public List<StackSlot> SpillSlots { get; } = [];

    /// <summary>The value kind of every register id (physical ones are I64).</summary>
    public List<ValueKind> Kinds { get; } = [];

    /// <summary>Temporaries created for spill code: never spilled again.</summary>
    public HashSet<int> Unspillable { get; } = [];

    public int RegisterCount => Kinds.Count;

    public int NewRegister(ValueKind kind)
    {
        Kinds.Add(kind);
        return Kinds.Count - 1;
    }
}
