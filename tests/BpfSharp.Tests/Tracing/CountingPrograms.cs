using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Tracing;

/// <summary>
/// Assembler programs for the perf-event based links: counts[0] += 1 when the current process is the test's, and
/// counts[1] = the attach cookie (bpf_get_attach_cookie).
/// </summary>
static class CountingPrograms
{
    public static BpfProgram Load(BpfProgramType type, ArrayMap<ulong> counts, string name, BpfAttachType? expectedAttachType = null) =>
        BpfProgram.Load(new ProgramLoadOptions
        {
            Type = type,
            Name = name,
            ExpectedAttachType = expectedAttachType,
            Instructions = Instructions(counts),
        });

    public static IReadOnlyList<Instruction> Instructions(ArrayMap<ulong> counts) => new Assembler()
            .Mov(R6, R1)
            .Call((int)BpfHelperId.GetCurrentPidTgid)
            .Alu(AluOp.Rsh, R0, 32)
            .JumpIf(JumpOp.NotEqual, R0, Environment.ProcessId, "out")
            .Increment(counts, 0, "counted")
            // counts[1] = bpf_get_attach_cookie(ctx)
            .Mov(R1, R6)
            .Call((int)BpfHelperId.GetAttachCookie)
            .Store(MemorySize.DoubleWord, R10, -16, R0)
            .StoreImmediate(MemorySize.Word, R10, -4, 1)
            .LoadMapFd(R1, counts.Map.Fd.RawValue)
            .Mov(R2, R10).Add(R2, -4)
            .Mov(R3, R10).Add(R3, -16)
            .Mov(R4, 0)
            .Call((int)BpfHelperId.MapUpdateElem)
            .Label("out")
            .Mov(R0, 0)
            .Exit()
            .Build();
}
