using BpfSharp.Asm;
using BpfSharp.Btf.Core;
using BpfSharp.Objects;
using Xunit;
using static BpfSharp.Object.Tests.Btf.Core.SampleBtf;

namespace BpfSharp.Object.Tests.Btf.Core;

public class CoreApplyTests
{
    static (List<Instruction> Code, IReadOnlyList<CoreRelocationOutcome> Outcomes) Apply(Instruction[] code, params CoreRelocationRecord[] relocations)
    {
        var list = code.ToList();
        IReadOnlyList<CoreRelocationOutcome> outcomes = new CoreRelocator(Local, [Target]).Apply(list, relocations, "prog");
        return (list, outcomes);
    }

    [Fact]
    public void AluImmediatesLoadOffsetsAndConstantsArePatched()
    {
        Instruction[] code =
        [
            Instruction.Mov(Register.R1, 4),                                   // slot 0: tgid offset
            Instruction.LoadImm64(Register.R2, 7),                             // slots 1-2: PIDTYPE_TGID
            Instruction.Load(MemorySize.Word, Register.R3, Register.R1, 0),    // slot 3: pid
            Instruction.Alu32(AluOp.Add, Register.R4, 16),                     // slot 4: sizeof(comm)
            Instruction.Exit(),
        ];
        var (patched, outcomes) = Apply(code,
            new(0, LTask, "0:1", CoreRelocationKind.FieldByteOffset),
            new(1, LPidType, "0", CoreRelocationKind.EnumValue),
            new(3, LTask, "0:0", CoreRelocationKind.FieldByteOffset),
            new(4, LTask, "0:2", CoreRelocationKind.FieldByteSize));

        Assert.Equal(Instruction.Mov(Register.R1, 20), patched[0]);
        Assert.Equal(Instruction.LoadImm64(Register.R2, 1), patched[1]);
        Assert.Equal(Instruction.Load(MemorySize.Word, Register.R3, Register.R1, 16), patched[2]);
        Assert.Equal(Instruction.Alu32(AluOp.Add, Register.R4, 16), patched[3]);
        Assert.All(outcomes, o => Assert.Equal(CoreRelocationAction.Patched, o.Action));
        Assert.Equal([0, 1, 3, 4], outcomes.Select(o => o.Slot));
        Assert.Equal([0, 1, 2, 3], outcomes.Select(o => o.InstructionIndex));
    }

    [Fact]
    public void UnsignedFieldsThatShrankLoadFewerBytes()
    {
        var (patched, _) = Apply([Instruction.Load(MemorySize.DoubleWord, Register.R0, Register.R1, 24), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:3", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(Instruction.Load(MemorySize.Word, Register.R0, Register.R1, 8), patched[0]);
    }

    [Fact]
    public void StoresAreResizedToo()
    {
        var (patched, _) = Apply([Instruction.StoreImmediate(MemorySize.DoubleWord, Register.R1, 24, 5), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:3", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(Instruction.StoreImmediate(MemorySize.Word, Register.R1, 8, 5), patched[0]);
    }

    [Fact]
    public void ASignedFieldThatChangedSizeIsPoisonedNotMisread()
    {
        var (patched, outcomes) = Apply([Instruction.Load(MemorySize.Word, Register.R0, Register.R1, 32), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:4", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(CorePoison.Instruction(), patched[0]);
        Assert.Equal(CoreRelocationAction.Poisoned, outcomes[0].Action);
        Assert.Contains("4 bytes locally and 8 in the target", outcomes[0].ToString());
        // the same offset in an ALU instruction is fine: only loads and stores move the value
        var (alu, _) = Apply([Instruction.Mov(Register.R0, 32), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:4", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(Instruction.Mov(Register.R0, 0), alu[0]);
    }

    [Fact]
    public void AMissingFieldPoisonsItsInstructionAndTheVerifierMessageMapsBack()
    {
        var source = new SourceLocation("prog.c", 12, 3);
        var (patched, outcomes) = Apply(
            [Instruction.Mov(Register.R1, 1), Instruction.Mov(Register.R2, 52).WithSource(source), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:7", CoreRelocationKind.FieldExists),
            new CoreRelocationRecord(1, LTask, "0:7", CoreRelocationKind.FieldByteOffset));

        Assert.Equal(Instruction.Mov(Register.R1, 0), patched[0]);
        Assert.Equal(new Instruction(OpCode.Call, Register.R0, Register.R0, 0, 0xbad2310).WithSource(source), patched[1]);
        Assert.EndsWith("call unknown#195896080", patched[1].ToString().Trim());
        Assert.Equal(CoreRelocationAction.Poisoned, outcomes[1].Action);

        string log = "0: (b7) r1 = 0\n1: (85) call unknown#195896080\ninvalid func unknown#195896080\nprocessed 2 insns\n";
        CoreRelocationOutcome? failed = CorePoison.FindFailedRelocation(log, outcomes);
        Assert.Same(outcomes[1], failed);
        Assert.Equal($"failed to resolve CO-RE relocation <byte_off> [{LTask}] struct task_struct___mine.nope (0:7 @ offset 52)", failed!.FailureMessage);
        Assert.Null(CorePoison.FindFailedRelocation("0: (85) call unknown#195896080\ninvalid func unknown#195896080\n", outcomes));
    }

    [Fact]
    public void APoisonedLdImm64BecomesTwoCallsAndLaterSlotsStillResolve()
    {
        var (patched, outcomes) = Apply(
            [Instruction.LoadImm64(Register.R1, 9), Instruction.Mov(Register.R2, 4), Instruction.Exit()],
            new CoreRelocationRecord(0, LPidType, "1", CoreRelocationKind.EnumValue),
            new CoreRelocationRecord(2, LTask, "0:1", CoreRelocationKind.FieldByteOffset));
        Assert.Equal([CorePoison.Instruction(), CorePoison.Instruction(), Instruction.Mov(Register.R2, 20), Instruction.Exit()], patched);
        Assert.Equal(4, InstructionList.SlotCount(patched.ToArray()));
        Assert.Equal(2, outcomes[1].InstructionIndex);
    }

    [Fact]
    public void AnInstructionThatDoesNotHoldTheLocalValueIsRefused()
    {
        var e = Assert.Throws<CoreRelocationException>(() => Apply([Instruction.Mov(Register.R1, 5), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:1", CoreRelocationKind.FieldByteOffset)));
        Assert.Contains("unexpected insn (ALU/ALU64) value: got 5, exp 4 -> 20", e.Message);
        Assert.Contains("prog 'prog'", e.Message);
        Assert.Contains("relo #0", e.Message);

        var load = Assert.Throws<CoreRelocationException>(() => Apply([Instruction.Load(MemorySize.Word, Register.R1, Register.R1, 8), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:1", CoreRelocationKind.FieldByteOffset)));
        Assert.Contains("unexpected insn (LDX/ST/STX) value: got 8, exp 4 -> 20", load.Message);

        var constant = Assert.Throws<CoreRelocationException>(() => Apply([Instruction.LoadImm64(Register.R1, 3), Instruction.Exit()],
            new CoreRelocationRecord(0, LPidType, "0", CoreRelocationKind.EnumValue)));
        Assert.Contains("unexpected insn (LDIMM64) value: got 3, exp 7 -> 1", constant.Message);
    }

    [Fact]
    public void BitfieldOffsetsAreNotCheckedAgainstTheInstruction()
    {
        var (patched, _) = Apply([Instruction.Mov(Register.R1, 1234), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "0:9", CoreRelocationKind.FieldByteOffset));
        Assert.Equal(Instruction.Mov(Register.R1, 48), patched[0]);
    }

    [Fact]
    public void FormsThatCannotCarryARelocationAreRefused()
    {
        var record = new CoreRelocationRecord(0, LTask, "0:1", CoreRelocationKind.FieldByteOffset);
        Assert.Contains("register operand", Assert.Throws<CoreRelocationException>(() =>
            Apply([Instruction.Alu(AluOp.Add, Register.R1, Register.R2), Instruction.Exit()], record)).Message);
        Assert.Contains("unrecognized insn", Assert.Throws<CoreRelocationException>(() =>
            Apply([Instruction.Jump(JumpOp.Equal, Register.R1, 4, 1), Instruction.Exit()], record)).Message);
        Assert.Contains("unexpected form", Assert.Throws<CoreRelocationException>(() =>
            Apply([Instruction.LoadMapValue(Register.R1, 0, 4), Instruction.Exit()], record with { Kind = CoreRelocationKind.FieldByteOffset })).Message);
        Assert.Contains("not the start of an instruction", Assert.Throws<CoreRelocationException>(() =>
            Apply([Instruction.LoadImm64(Register.R1, 4), Instruction.Exit()], record with { Slot = 1 })).Message);
        Assert.Contains("not the start of an instruction", Assert.Throws<CoreRelocationException>(() =>
            Apply([Instruction.Exit()], record with { Slot = 5 })).Message);
    }

    [Fact]
    public void OffsetsBeyondSixteenBitsAreRefused()
    {
        // t[409].nice: the target's byte offset 409 * 80 + 48 = 32768 does not fit a load's offset (bitfield offsets are not validated)
        var e = Assert.Throws<CoreRelocationException>(() => Apply([Instruction.Load(MemorySize.Word, Register.R1, Register.R1, 0), Instruction.Exit()],
            new CoreRelocationRecord(0, LTask, "409:9", CoreRelocationKind.FieldByteOffset)));
        Assert.Contains("too big", e.Message);
    }
}
