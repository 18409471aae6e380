using Xunit;

using BpfSharp.Asm;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

public class ControlFlowPassTests
{
    static (IrFunction F, VirtualRegister X, BasicBlock[] B) Blocks(int n)
    {
        var f = new IrFunction("cfg") { ReturnKind = ValueKind.I32 };
        VirtualRegister x = f.NewRegister(ValueKind.I32, "x");
        f.Parameters.Add(x);
        return (f, x, [.. Enumerable.Range(0, n).Select(_ => f.NewBlock())]);
    }

    [Fact]
    public void Unreachable_blocks_are_removed()
    {
        var (f, x, b) = Blocks(4);
        b[0].Terminator = new JumpTerminator(b[2]);
        b[1].Terminator = new JumpTerminator(b[3]);
        b[2].Terminator = new ReturnTerminator(x);
        b[3].Terminator = new JumpTerminator(b[1]);
        Golden.Check(f, UnreachableBlockRemoval.Run, """
            function cfg(%0:x) -> I32
            bb0:
              goto bb2
            bb1:
              goto bb3
            bb2:
              return %0:x
            bb3:
              goto bb1
            """, """
            function cfg(%0:x) -> I32
            bb0:
              goto bb2
            bb2:
              return %0:x
            """);
    }

    [Fact]
    public void Edges_to_blocks_that_only_jump_go_straight_to_the_end_of_the_chain()
    {
        var (f, x, b) = Blocks(5);
        b[0].Terminator = new BranchTerminator(Condition.Equal, x, Operand.Of(0), true, b[1], b[4]);
        b[1].Terminator = new JumpTerminator(b[2]);
        b[2].Terminator = new JumpTerminator(b[3]);
        b[3].Terminator = new JumpTerminator(b[3]); // an empty infinite loop stays
        b[4].Terminator = new ReturnTerminator(x);
        Golden.Check(f, JumpThreading.Run, """
            function cfg(%0:x) -> I32
            bb0:
              if32 %0:x Equal 0 goto bb1 else bb4
            bb1:
              goto bb2
            bb2:
              goto bb3
            bb3:
              goto bb3
            bb4:
              return %0:x
            """, """
            function cfg(%0:x) -> I32
            bb0:
              if32 %0:x Equal 0 goto bb3 else bb4
            bb1:
              goto bb3
            bb2:
              goto bb3
            bb3:
              goto bb3
            bb4:
              return %0:x
            """);
    }

    [Fact]
    public void A_block_merges_into_its_only_predecessor_keeping_its_source_locations()
    {
        var (f, x, b) = Blocks(4);
        VirtualRegister y = f.NewRegister(ValueKind.I32, "y");
        var where = new SourceLocation("Prog.cs", 7, 9);
        b[0].Instructions.Add(new MoveInstruction(y, x));
        b[0].Terminator = new JumpTerminator(b[1]);
        b[1].Instructions.Add(new BinaryInstruction(BinaryOp.Add, y, y, Operand.Of(1)) { Source = where });
        b[1].Terminator = new BranchTerminator(Condition.Equal, y, Operand.Of(3), true, b[2], b[3]);
        b[2].Terminator = new JumpTerminator(b[3]);
        b[3].Terminator = new ReturnTerminator(y);
        Golden.Check(f, BlockMerging.Run, """
            function cfg(%0:x) -> I32
            bb0:
              %1:y = %0:x
              goto bb1
            bb1:
              %1:y = add32 %1:y, 1
              if32 %1:y Equal 3 goto bb2 else bb3
            bb2:
              goto bb3
            bb3:
              return %1:y
            """, """
            function cfg(%0:x) -> I32
            bb0:
              %1:y = %0:x
              %1:y = add32 %1:y, 1
              if32 %1:y Equal 3 goto bb2 else bb3
            bb2:
              goto bb3
            bb3:
              return %1:y
            """);
        Assert.Same(where, f.Blocks[0].Instructions[1].Source);
    }

    [Fact]
    public void Repeated_expressions_and_loads_are_reused_only_without_an_intervening_store_or_redefinition()
    {
        var f = new IrFunction("lvn") { ReturnKind = ValueKind.I64 };
        VirtualRegister a = f.NewRegister(ValueKind.I64, "a"), p = f.NewRegister(ValueKind.Ptr, "p");
        f.Parameters.AddRange([a, p]);
        BasicBlock b = f.NewBlock();
        VirtualRegister[] r = [.. Enumerable.Range(0, 8).Select(_ => f.NewRegister(ValueKind.I64))];
        VirtualRegister q1 = f.NewRegister(ValueKind.Ptr), q2 = f.NewRegister(ValueKind.Ptr);
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, r[0], a, Operand.Of(3)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, r[1], a, Operand.Of(3)));    // reuse r0
        b.Instructions.Add(new LoadInstruction(r[2], Address.At(p, 4), MemorySize.Word));
        b.Instructions.Add(new LoadInstruction(r[3], Address.At(p, 4), MemorySize.Word));   // reuse r2
        b.Instructions.Add(new StoreInstruction(Address.At(p, 8), a, MemorySize.DoubleWord));
        b.Instructions.Add(new LoadInstruction(r[4], Address.At(p, 4), MemorySize.Word));   // after a store: reload
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, a, a, Operand.Of(1)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, r[5], a, Operand.Of(3)));    // a changed: recompute
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, q1, p, Operand.Of(8)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, q2, p, Operand.Of(8)));      // pointers keep their derivation
        b.Terminator = new ReturnTerminator(r[5]);
        Golden.Check(f, LocalValueNumbering.Run, """
            function lvn(%0:a, %1:p) -> I64
            bb0:
              %2 = mul %0:a, 3
              %3 = mul %0:a, 3
              %4 = load.u32 [%1:p+4]
              %5 = load.u32 [%1:p+4]
              store.u64 [%1:p+8], %0:a
              %6 = load.u32 [%1:p+4]
              %0:a = add %0:a, 1
              %7 = mul %0:a, 3
              %10 = add %1:p, 8
              %11 = add %1:p, 8
              return %7
            """, """
            function lvn(%0:a, %1:p) -> I64
            bb0:
              %2 = mul %0:a, 3
              %3 = %2
              %4 = load.u32 [%1:p+4]
              %5 = %4
              store.u64 [%1:p+8], %0:a
              %6 = load.u32 [%1:p+4]
              %0:a = add %0:a, 1
              %7 = mul %0:a, 3
              %10 = add %1:p, 8
              %11 = add %1:p, 8
              return %7
            """);
    }
}
