using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Support;

/// <summary>The counter increment the assembler test programs share.</summary>
static class CounterInstructions
{
    /// <summary>counts[<paramref name="key"/>] += 1, continuing at a new label <paramref name="after"/>; clobbers R0–R5 and the stack word at r10-4.</summary>
    public static Assembler Increment(this Assembler a, ArrayMap<ulong> counts, int key, string after) => a
        .StoreImmediate(MemorySize.Word, R10, -4, key)
        .Increment(counts, after);

    /// <summary>counts[*(u32*)(r10-4)] += 1, continuing at a new label <paramref name="after"/>; clobbers R0–R5.</summary>
    public static Assembler Increment(this Assembler a, ArrayMap<ulong> counts, string after) => a
        .LoadMapFd(R1, counts.Map.Fd.RawValue)
        .Mov(R2, R10).Add(R2, -4)
        .Call((int)BpfHelperId.MapLookupElem)
        .JumpIf(JumpOp.Equal, R0, 0, after)
        .Mov(R1, 1)
        .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R1)
        .Label(after);
}
