using Xunit;

using BpfSharp.Asm;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

public class PropagationTests
{
    [Fact]
    public void A_copy_is_not_propagated_past_a_redefinition_of_its_source_in_a_loop()
    {
        // x = a; loop { a = a + 1 } ; return x + a — x must stay, a's copy is stale after the loop.
        var f = new IrFunction("loop") { ReturnKind = ValueKind.I64 };
        VirtualRegister a = f.NewRegister(ValueKind.I64, "a");
        f.Parameters.Add(a);
        VirtualRegister x = f.NewRegister(ValueKind.I64, "x"), i = f.NewRegister(ValueKind.I64, "i"), y = f.NewRegister(ValueKind.I64, "y"), r = f.NewRegister(ValueKind.I64);
        BasicBlock entry = f.NewBlock(), head = f.NewBlock(), body = f.NewBlock(), exit = f.NewBlock();
        entry.Instructions.Add(new MoveInstruction(x, a));
        entry.Instructions.Add(new MoveInstruction(i, Operand.Of(0)));
        entry.Instructions.Add(new MoveInstruction(y, x));
        entry.Terminator = new JumpTerminator(head);
        head.Terminator = new BranchTerminator(Condition.UnsignedGreaterOrEqual, i, Operand.Of(3), false, exit, body);
        body.Instructions.Add(new BinaryInstruction(BinaryOp.Add, a, a, Operand.Of(1)));
        body.Instructions.Add(new BinaryInstruction(BinaryOp.Add, i, i, Operand.Of(1)));
        body.Terminator = new JumpTerminator(head);
        exit.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r, x, a));
        exit.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r, r, y));
        exit.Terminator = new ReturnTerminator(r);
        Golden.Check(f, CopyPropagation.Run, """
            function loop(%0:a) -> I64
            bb0:
              %1:x = %0:a
              %2:i = 0
              %3:y = %1:x
              goto bb1
            bb1:
              if %2:i UnsignedGreaterOrEqual 3 goto bb3 else bb2
            bb2:
              %0:a = add %0:a, 1
              %2:i = add %2:i, 1
              goto bb1
            bb3:
              %4 = add %1:x, %0:a
              %4 = add %4, %3:y
              return %4
            """, """
            function loop(%0:a) -> I64
            bb0:
              %1:x = %0:a
              %2:i = 0
              %3:y = %0:a
              goto bb1
            bb1:
              if %2:i UnsignedGreaterOrEqual 3 goto bb3 else bb2
            bb2:
              %0:a = add %0:a, 1
              %2:i = add %2:i, 1
              goto bb1
            bb3:
              %4 = add %1:x, %0:a
              %4 = add %4, %1:x
              return %4
            """);
    }

    [Fact]
    public void Constants_propagate_only_where_every_path_agrees_and_never_into_pointers()
    {
        var f = new IrFunction("join") { ReturnKind = ValueKind.I32 };
        VirtualRegister c = f.NewRegister(ValueKind.I32, "c");
        f.Parameters.Add(c);
        VirtualRegister same = f.NewRegister(ValueKind.I32, "same"), diff = f.NewRegister(ValueKind.I32, "diff"),
            p = f.NewRegister(ValueKind.Ptr, "p"), r = f.NewRegister(ValueKind.I32);
        BasicBlock entry = f.NewBlock(), left = f.NewBlock(), right = f.NewBlock(), join = f.NewBlock();
        entry.Instructions.Add(new MoveInstruction(p, Operand.Of(0)));
        entry.Terminator = new BranchTerminator(Condition.Equal, c, Operand.Of(0), true, left, right);
        left.Instructions.Add(new MoveInstruction(same, Operand.Of(5)));
        left.Instructions.Add(new MoveInstruction(diff, Operand.Of(1)));
        left.Terminator = new JumpTerminator(join);
        right.Instructions.Add(new MoveInstruction(same, Operand.Of(0x1_0000_0005)));
        right.Instructions.Add(new MoveInstruction(diff, Operand.Of(2)));
        right.Terminator = new JumpTerminator(join);
        join.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r, same, diff));
        join.Terminator = new BranchTerminator(Condition.Equal, p, Operand.Of(0), false, entry, left);
        Golden.Check(f, CopyPropagation.Run, """
            function join(%0:c) -> I32
            bb0:
              %3:p = 0
              if32 %0:c Equal 0 goto bb1 else bb2
            bb1:
              %1:same = 5
              %2:diff = 1
              goto bb3
            bb2:
              %1:same = 4294967301
              %2:diff = 2
              goto bb3
            bb3:
              %4 = add32 %1:same, %2:diff
              if %3:p Equal 0 goto bb0 else bb1
            """, """
            function join(%0:c) -> I32
            bb0:
              %3:p = 0
              if32 %0:c Equal 0 goto bb1 else bb2
            bb1:
              %1:same = 5
              %2:diff = 1
              goto bb3
            bb2:
              %1:same = 4294967301
              %2:diff = 2
              goto bb3
            bb3:
              %4 = add32 5, %2:diff
              if %3:p Equal 0 goto bb0 else bb1
            """);
    }
}
