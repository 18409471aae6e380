using Xunit;

using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Tests.Support;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

/// <summary>The folder's arithmetic and the interpreter's are written separately; they must agree on every operator.</summary>
public class ArithmeticAgreementTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Folding_and_interpretation_agree(bool is32)
    {
        var rng = new Random(is32 ? 32 : 64);
        ValueKind kind = is32 ? ValueKind.I32 : ValueKind.I64;
        foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
        {
            var f = new IrFunction("op") { ReturnKind = kind };
            VirtualRegister a = f.NewRegister(kind), b = f.NewRegister(kind), r = f.NewRegister(kind);
            f.Parameters.AddRange([a, b]);
            BasicBlock block = f.NewBlock();
            block.Instructions.Add(new BinaryInstruction(op, r, a, b));
            block.Terminator = new ReturnTerminator(r);
            var interpreter = new IrInterpreter(f);
            for (int k = 0; k < 400; k++)
            {
                long x = RandomIrGenerator.RandomArgument(rng), y = k % 7 == 0 ? (is32 ? int.MinValue : long.MinValue) : RandomIrGenerator.RandomArgument(rng);
                if (k % 5 == 0) (x, y) = (is32 ? int.MinValue : long.MinValue, -1);
                if (op is BinaryOp.Shl or BinaryOp.LShr or BinaryOp.AShr) y &= is32 ? 31 : 63;
                long? folded = EbpfArithmetic.Binary(op, x, y, is32);
                Assert.True(folded.HasValue, $"{op} {x}, {y} did not fold");
                Assert.Equal(interpreter.Run(x, y).Value, folded);
            }
        }
    }

    [Fact]
    public void Conditions_agree()
    {
        var rng = new Random(7);
        foreach (Condition c in Enum.GetValues<Condition>())
            foreach (bool is32 in new[] { true, false })
            {
                ValueKind kind = is32 ? ValueKind.I32 : ValueKind.I64;
                var f = new IrFunction("cmp") { ReturnKind = ValueKind.I64 };
                VirtualRegister a = f.NewRegister(kind), b = f.NewRegister(kind);
                f.Parameters.AddRange([a, b]);
                BasicBlock entry = f.NewBlock(), yes = f.NewBlock(), no = f.NewBlock();
                entry.Terminator = new BranchTerminator(c, a, b, is32, yes, no);
                yes.Terminator = new ReturnTerminator(Operand.Of(1));
                no.Terminator = new ReturnTerminator(Operand.Of(0));
                var interpreter = new IrInterpreter(f);
                for (int k = 0; k < 200; k++)
                {
                    long x = RandomIrGenerator.RandomArgument(rng), y = k % 4 == 0 ? x : RandomIrGenerator.RandomArgument(rng);
                    Assert.Equal(interpreter.Run(x, y).Value == 1, EbpfArithmetic.Compare(c, x, y, is32));
                }
            }
    }

    [Fact]
    public void The_interpreter_leaves_garbage_in_the_upper_half_of_I32_results()
    {
        // A 64-bit comparison of an I32 register is exactly what the verifier forbids: the interpreter makes it visible.
        var f = new IrFunction("upper") { ReturnKind = ValueKind.I64 };
        VirtualRegister x = f.NewRegister(ValueKind.I32), y = f.NewRegister(ValueKind.I32);
        f.Parameters.Add(x);
        BasicBlock entry = f.NewBlock(), yes = f.NewBlock(), no = f.NewBlock();
        entry.Instructions.Add(new BinaryInstruction(BinaryOp.Add, y, x, Operand.Of(1)));
        entry.Terminator = new BranchTerminator(Condition.Equal, y, Operand.Of(1), false, yes, no);
        yes.Terminator = new ReturnTerminator(Operand.Of(1));
        no.Terminator = new ReturnTerminator(Operand.Of(0));
        Assert.NotEmpty(IrVerifier.Verify(f));
        Assert.Equal(0, new IrInterpreter(f).Run(0).Value);
    }
}
