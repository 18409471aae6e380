using Xunit;
using BpfSharp.Asm;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Object.Tests.Asm;

public class InstructionTests
{
    [Fact]
    public void Call_kinds_are_told_apart_by_the_source_field()
    {
        Instruction helper = Instruction.Call(1), subprogram = Instruction.CallSubprogram(2), kfunc = Instruction.CallKfunc(3, 1);

        Assert.True(helper.IsCall && helper.IsHelperCall && !helper.IsBpfCall && !helper.IsKfuncCall);
        Assert.True(subprogram.IsCall && subprogram.IsBpfCall && !subprogram.IsHelperCall);
        Assert.True(kfunc.IsCall && kfunc.IsKfuncCall && !kfunc.IsBpfCall);
        Assert.Equal(1, kfunc.Offset);
        Assert.False(helper.IsJump);
    }

    [Fact]
    public void Jumps_exit_and_widths()
    {
        Assert.True(Instruction.Ja(1).IsJump && Instruction.Ja(1).IsUnconditionalJump);
        Assert.True(Instruction.Gotol(1).IsJump && Instruction.Gotol(1).IsLongJump);
        Assert.True(Instruction.Jump32(JumpOp.Less, R1, 2, 1).IsJump);
        Assert.False(Instruction.Jump(JumpOp.Less, R1, 2, 1).IsUnconditionalJump);
        Assert.True(Instruction.Exit().IsExit && !Instruction.Exit().IsJump);
        Assert.Equal(2, Instruction.LoadMapFd(R1, 1).Width);
        Assert.Equal(1, Instruction.Load(MemorySize.DoubleWord, R1, R2, 0).Width);
        Assert.False(Instruction.Load(MemorySize.DoubleWord, R1, R2, 0).IsLoadImm64);
    }

    [Fact]
    public void Opcode_fields_split_as_documented()
    {
        var op = new OpCode(0x7b); // BPF_STX | BPF_DW | BPF_MEM

        Assert.Equal(InstructionClass.Stx, op.Class);
        Assert.Equal(MemorySize.DoubleWord, op.Size);
        Assert.Equal(AddressingMode.Memory, op.Mode);
        Assert.Equal(new OpCode(0xcf), OpCode.Alu(InstructionClass.Alu64, AluOp.Arsh, OperandSource.Register));
        Assert.Equal(new OpCode(0x6e), OpCode.Jump(InstructionClass.Jmp32, JumpOp.SignedGreater, OperandSource.Register));
    }

    [Fact]
    public void With_methods_return_copies_and_keep_other_metadata()
    {
        Instruction original = Instruction.Ja(0);
        var where = new SourceLocation("x.cs", 1);

        Instruction annotated = original.WithSymbol("loop").WithReference("done").WithSource(where);

        Assert.Null(original.Metadata);
        Assert.Equal("loop", annotated.Symbol);
        Assert.Equal("done", annotated.Reference);
        Assert.Same(where, annotated.Source);
        Assert.Null(annotated.WithSymbol(null).WithReference(null).WithSource(null).Metadata);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(64)]
    public void Invalid_widths_are_rejected_by_the_factories(int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Instruction.MovSignExtend32(R1, R2, bits));
        Assert.Throws<ArgumentOutOfRangeException>(() => Instruction.MovSignExtend(R1, R2, bits));
    }

    [Fact]
    public void Other_invalid_forms_are_rejected_by_the_factories()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Instruction.ByteSwap(R1, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Instruction.LoadSignExtend(MemorySize.DoubleWord, R1, R2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Instruction.Jump(JumpOp.Call, R1, 0, 0));
    }
}
