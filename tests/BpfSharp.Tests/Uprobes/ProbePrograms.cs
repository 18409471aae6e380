using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Uprobes;

/// <summary>Kprobe programs (uprobes run kprobe programs) written with the assembler, each counting into a map.</summary>
static class ProbePrograms
{
    /// <summary>counts[0] += 1 per hit.</summary>
    public static BpfProgram Counter(ArrayMap<ulong> counts, BpfAttachType? expected = null) => Load("count_hits", expected, new Assembler()
        .StoreImmediate(MemorySize.Word, R10, -4, 0)
        .Then(a => AddToSlot(a, counts, R10, -4, 1)));

    /// <summary>counts[cookie] += 1 per hit (a cookie beyond the map counts nowhere).</summary>
    public static BpfProgram CookieCounter(ArrayMap<ulong> counts, BpfAttachType? expected = null) => Load("count_cookie", expected, new Assembler()
        .Call((int)BpfHelperId.GetAttachCookie)
        .Store(MemorySize.Word, R10, -4, R0)
        .Then(a => AddToSlot(a, counts, R10, -4, 1)));

    /// <summary>sums[0] += the return register (rax, x0), sums[1] += 1: for uretprobes.</summary>
    public static BpfProgram ReturnValueSum(ArrayMap<ulong> sums, BpfAttachType? expected = null) => Load("sum_returns", expected, new Assembler()
        .Load(MemorySize.DoubleWord, R6, R1, ReturnRegisterOffset)
        .StoreImmediate(MemorySize.Word, R10, -4, 0)
        .LoadMapFd(R1, sums.Map.Fd.RawValue)
        .Mov(R2, R10).Add(R2, -4)
        .Call((int)BpfHelperId.MapLookupElem)
        .JumpIf(JumpOp.Equal, R0, 0, "out")
        .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R6)
        .StoreImmediate(MemorySize.Word, R10, -4, 1)
        .Then(a => AddToSlot(a, sums, R10, -4, 1))
        .Label("out")
        .Mov(R0, 0)
        .Exit());

    /// <summary>Offset of the return-value register in the traced architecture's pt_regs (rax on x86-64, x0 on arm64).</summary>
    static short ReturnRegisterOffset => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? (short)0 : (short)80;

    static Assembler Then(this Assembler a, Func<Assembler, Assembler> more) => more(a);

    /// <summary>map[*(u32*)(base+offset)] += amount; ends the program when the slot is missing, else falls through to return 0.</summary>
    static Assembler AddToSlot(Assembler a, ArrayMap<ulong> map, Register keyBase, short keyOffset, int amount)
    {
        string skip = $"skip_{keyOffset}_{Guid.NewGuid():N}";
        return a
            .LoadMapFd(R1, map.Map.Fd.RawValue)
            .Mov(R2, keyBase).Add(R2, keyOffset)
            .Call((int)BpfHelperId.MapLookupElem)
            .JumpIf(JumpOp.Equal, R0, 0, skip)
            .Mov(R1, amount)
            .Atomic(AtomicOp.Add, MemorySize.DoubleWord, R0, 0, R1)
            .Label(skip)
            .Mov(R0, 0)
            .Exit();
    }

    static BpfProgram Load(string name, BpfAttachType? expected, Assembler code) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.Kprobe,
        Name = name,
        ExpectedAttachType = expected,
        License = "GPL",
        Instructions = code.Build(),
    });
}
