using Xunit;

using BpfSharp.Asm;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

public class VerifierTests
{
    static (IrFunction F, VirtualRegister I, VirtualRegister L, VirtualRegister P, BasicBlock B) Function()
    {
        var f = new IrFunction("v") { ReturnKind = ValueKind.I32 };
        VirtualRegister i = f.NewRegister(ValueKind.I32, "i"), l = f.NewRegister(ValueKind.I64, "l"), p = f.NewRegister(ValueKind.Ptr, "p");
        f.Parameters.AddRange([i, l, p]);
        BasicBlock b = f.NewBlock();
        b.Terminator = new ReturnTerminator(i);
        return (f, i, l, p, b);
    }

    static void AssertProblem(IrFunction f, string fragment)
    {
        IReadOnlyList<string> problems = IrVerifier.Verify(f);
        Assert.Contains(problems, p => p.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void A_well_formed_function_has_no_problems() => Assert.Empty(IrVerifier.Verify(Function().F));

    [Fact]
    public void Unterminated_blocks_and_foreign_successors_are_reported()
    {
        var (f, _, _, _, b) = Function();
        BasicBlock loose = f.NewBlock();
        AssertProblem(f, "bb1: not terminated");
        loose.Terminator = new ReturnTerminator(Operand.Of(0));
        b.Terminator = new JumpTerminator(new IrFunction("other").NewBlock());
        AssertProblem(f, "successor bb0 is not a block of this function");
    }

    [Fact]
    public void A_register_defined_on_only_one_path_is_reported_at_the_join()
    {
        var (f, i, _, _, entry) = Function();
        VirtualRegister y = f.NewRegister(ValueKind.I32, "y");
        BasicBlock then = f.NewBlock(), join = f.NewBlock();
        entry.Terminator = new BranchTerminator(Condition.Equal, i, Operand.Of(0), true, then, join);
        then.Instructions.Add(new MoveInstruction(y, Operand.Of(1)));
        then.Terminator = new JumpTerminator(join);
        join.Terminator = new ReturnTerminator(y);
        AssertProblem(f, "bb2: 'return %3:y' reads %3:y, which some path from the entry leaves undefined");
        entry.Instructions.Add(new MoveInstruction(y, Operand.Of(0)));
        Assert.Empty(IrVerifier.Verify(f));
    }

    [Fact]
    public void Kind_mismatches_are_reported()
    {
        var (f, i, l, p, b) = Function();
        VirtualRegister i2 = f.NewRegister(ValueKind.I32), l2 = f.NewRegister(ValueKind.I64), q = f.NewRegister(ValueKind.Ptr);
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, i2, i, l));
        AssertProblem(f, "%1:l (I64) as the operand of a 32-bit op");
        b.Instructions.Clear();
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, l2, l, i));
        AssertProblem(f, "%0:i (I32) as the operand of a 64-bit op");
        b.Instructions.Clear();
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, i2, i, p));
        AssertProblem(f, "%2:p (Ptr) as the operand of a 32-bit op");
        b.Instructions.Clear();
        b.Instructions.Add(new MoveInstruction(l2, i));
        AssertProblem(f, "a move between I32 and a 64-bit kind");
        b.Instructions.Clear();
        b.Instructions.Add(new ExtendInstruction(l2, i, 12, signed: true));
        AssertProblem(f, "extend from 12 bits");
        b.Instructions.Clear();
        b.Instructions.Add(new UnaryInstruction(UnaryOp.Neg, q, p));
        AssertProblem(f, "a pointer cannot be the destination of an arithmetic unary op");
        b.Instructions.Clear();
        b.Terminator = new BranchTerminator(Condition.Equal, p, Operand.Of(0), true, b, b);
        AssertProblem(f, "a pointer %2:p in a 32-bit comparison");
        b.Terminator = new ReturnTerminator(l);
        AssertProblem(f, "%1:l (I64) returned from a function returning I32");
    }

    [Fact]
    public void Calls_with_too_many_arguments_and_unencodable_offsets_are_reported()
    {
        var (f, i, l, p, b) = Function();
        b.Instructions.Add(new CallInstruction(new FunctionTarget("g"), null, [l, l, l, l, l, l]));
        b.Instructions.Add(new LoadInstruction(f.NewRegister(ValueKind.I64), Address.At(p, 40000), MemorySize.Byte));
        StackSlot slot = f.NewStackSlot(8, 8);
        b.Instructions.Add(new StoreInstruction(Address.At(slot, 6), i, MemorySize.Word));
        AssertProblem(f, "6 arguments, at most 5");
        AssertProblem(f, "offset 40000 does not fit 16 bits");
        AssertProblem(f, "4 bytes at offset 6 fall outside $slot0");
    }
}
