using Xunit;
using BpfSharp.Asm;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Object.Tests.Asm;

public class InstructionListTests
{
    private static readonly Instruction[] Program =
    [
        Instruction.Mov(R0, 0),                     // slot 0
        Instruction.LoadImm64(R1, 1),               // slots 1-2
        Instruction.Jump(JumpOp.Equal, R1, 0, 1),   // slot 3 -> slot 5
        Instruction.LoadMapFd(R2, 3),               // slots 4-5
        Instruction.Exit(),                         // slot 6
    ];

    [Fact]
    public void Slot_positions_count_ld_imm64_twice()
    {
        Assert.Equal(7, InstructionList.SlotCount(Program));
        Assert.Equal([0, 1, 3, 4, 6, 7], InstructionList.SlotPositions(Program));
        Assert.Equal(3, InstructionList.IndexToSlot(Program, 2));
        Assert.Equal(7, InstructionList.IndexToSlot(Program, 5));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, -1)] // second half of a ld_imm64
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, -1)]
    [InlineData(6, 4)]
    [InlineData(7, -1)]
    [InlineData(-1, -1)]
    public void Slots_map_back_to_instruction_indices(int slot, int index)
    {
        Assert.Equal(index, InstructionList.SlotToIndex(Program, slot));
    }

    [Fact]
    public void Jump_targets_resolve_to_instruction_indices()
    {
        Instruction[] program = [.. Program];
        program[2] = Instruction.Jump(JumpOp.Equal, R1, 0, 2); // slot 3 + 1 + 2 = slot 6 = exit

        Assert.Equal(4, InstructionList.TargetIndex(program, 2));
        Assert.Null(InstructionList.TargetIndex(Program, 2)); // slot 5 is inside the map load
        Assert.Null(InstructionList.TargetIndex(program, 0));
    }

    [Fact]
    public void References_resolve_against_symbols_in_metadata()
    {
        Instruction[] program =
        [
            Instruction.CallSubprogram(0).WithReference("helper_fn"),
            Instruction.LoadMapByName(R1, "events"),
            Instruction.Exit(),
            Instruction.Mov(R0, 1).WithSymbol("helper_fn"),
            Instruction.Exit(),
        ];

        InstructionList.ResolveReferences(program);

        Assert.Equal(3, program[0].Immediate); // target slot 4, from slot 0 + 1
        Assert.Equal(0, program[1].Constant);   // a map reference is not a label
    }

    [Fact]
    public void Duplicate_symbols_are_rejected()
    {
        Instruction[] program = [Instruction.Exit().WithSymbol("f"), Instruction.Exit().WithSymbol("f")];

        Assert.Contains("'f'", Assert.Throws<BpfAsmException>(() => InstructionList.ResolveReferences(program)).Message);
    }
}
