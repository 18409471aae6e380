using Xunit;

using BpfSharp.Asm;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

public class DeadCodeAndBranchTests
{
    [Fact]
    public void Dead_pure_instructions_go_while_stores_calls_and_loop_carried_values_stay()
    {
        var f = new IrFunction("dce") { ReturnKind = ValueKind.I64 };
        VirtualRegister a = f.NewRegister(ValueKind.I64, "a");
        f.Parameters.Add(a);
        StackSlot slot = f.NewStackSlot(8, 8);
        VirtualRegister t1 = f.NewRegister(ValueKind.I64), t2 = f.NewRegister(ValueKind.I64), acc = f.NewRegister(ValueKind.I64, "acc"),
            unused = f.NewRegister(ValueKind.I64), ld = f.NewRegister(ValueKind.I64);
        BasicBlock entry = f.NewBlock(), loop = f.NewBlock(), exit = f.NewBlock();
        entry.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, t1, a, a));
        entry.Instructions.Add(new BinaryInstruction(BinaryOp.Add, t2, t1, Operand.Of(1)));
        entry.Instructions.Add(new MoveInstruction(acc, Operand.Of(0)));
        entry.Instructions.Add(new StoreInstruction(Address.At(slot), a, MemorySize.DoubleWord));
        entry.Instructions.Add(new CallInstruction(new HelperTarget(5, "bpf_ktime_get_ns"), unused, []));
        entry.Terminator = new JumpTerminator(loop);
        loop.Instructions.Add(new BinaryInstruction(BinaryOp.Add, acc, acc, a));
        loop.Instructions.Add(new LoadInstruction(ld, Address.At(slot), MemorySize.DoubleWord));
        loop.Terminator = new BranchTerminator(Condition.SignedLess, acc, Operand.Of(100), false, loop, exit);
        exit.Terminator = new ReturnTerminator(acc);
        Golden.Check(f, DeadCodeElimination.Run, """
            function dce(%0:a) -> I64
              $slot0: 8 bytes, align 8
            bb0:
              %1 = mul %0:a, %0:a
              %2 = add %1, 1
              %3:acc = 0
              store.u64 [$slot0], %0:a
              %4 = call bpf_ktime_get_ns()
              goto bb1
            bb1:
              %3:acc = add %3:acc, %0:a
              %5 = load.u64 [$slot0]
              if %3:acc SignedLess 100 goto bb1 else bb2
            bb2:
              return %3:acc
            """, """
            function dce(%0:a) -> I64
              $slot0: 8 bytes, align 8
            bb0:
              %3:acc = 0
              store.u64 [$slot0], %0:a
              %4 = call bpf_ktime_get_ns()
              goto bb1
            bb1:
              %3:acc = add %3:acc, %0:a
              if %3:acc SignedLess 100 goto bb1 else bb2
            bb2:
              return %3:acc
            """);
    }

    [Fact]
    public void Branches_with_known_outcomes_become_jumps_and_pointer_checks_stay_register_to_register()
    {
        var f = new IrFunction("branches") { ReturnKind = ValueKind.I32 };
        VirtualRegister x = f.NewRegister(ValueKind.I32, "x"), data = f.NewRegister(ValueKind.Ptr, "data"), end = f.NewRegister(ValueKind.Ptr, "end");
        f.Parameters.AddRange([x, data, end]);
        BasicBlock[] b = [.. Enumerable.Range(0, 6).Select(_ => f.NewBlock())];
        var src = new SourceLocation("Prog.cs", 12, 5);
        b[0].Terminator = new BranchTerminator(Condition.SignedLess, Operand.Of(-1), Operand.Of(0xffffffff), true, b[1], b[5]) { Source = src };
        b[1].Terminator = new BranchTerminator(Condition.UnsignedLess, Operand.Of(10), x, true, b[2], b[2]);
        b[2].Terminator = new BranchTerminator(Condition.UnsignedLess, Operand.Of(10), x, true, b[3], b[5]);
        b[3].Terminator = new BranchTerminator(Condition.UnsignedGreater, data, end, false, b[5], b[4]);
        b[4].Terminator = new BranchTerminator(Condition.SignedLessOrEqual, x, x, true, b[5], b[4]);
        b[5].Terminator = new ReturnTerminator(x);
        Golden.Check(f, BranchFolding.Run, """
            function branches(%0:x, %1:data, %2:end) -> I32
            bb0:
              if32 -1 SignedLess 4294967295 goto bb1 else bb5
            bb1:
              if32 10 UnsignedLess %0:x goto bb2 else bb2
            bb2:
              if32 10 UnsignedLess %0:x goto bb3 else bb5
            bb3:
              if %1:data UnsignedGreater %2:end goto bb5 else bb4
            bb4:
              if32 %0:x SignedLessOrEqual %0:x goto bb5 else bb4
            bb5:
              return %0:x
            """, """
            function branches(%0:x, %1:data, %2:end) -> I32
            bb0:
              goto bb5
            bb1:
              goto bb2
            bb2:
              if32 %0:x UnsignedGreater 10 goto bb3 else bb5
            bb3:
              if %1:data UnsignedGreater %2:end goto bb5 else bb4
            bb4:
              goto bb5
            bb5:
              return %0:x
            """);
        Assert.Same(src, f.Blocks[0].Terminator!.Source);
    }
}
