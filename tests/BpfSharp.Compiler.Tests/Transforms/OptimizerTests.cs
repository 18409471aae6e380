using Xunit;

using BpfSharp.Asm;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Tests.Support;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

public class OptimizerTests
{
    [Fact]
    public void The_pipeline_reaches_a_fixpoint_on_a_loop_with_constant_setup()
    {
        // n = 4; k = n * 2; sum = 0; i = 0; while (i < k) { sum += i; i++ } if (k == 8) return sum; else return -1
        var f = new IrFunction("sum") { ReturnKind = ValueKind.I32 };
        VirtualRegister n = f.NewRegister(ValueKind.I32, "n"), k = f.NewRegister(ValueKind.I32, "k"),
            sum = f.NewRegister(ValueKind.I32, "sum"), i = f.NewRegister(ValueKind.I32, "i"), dead = f.NewRegister(ValueKind.I32);
        BasicBlock entry = f.NewBlock(), head = f.NewBlock(), body = f.NewBlock(), exit = f.NewBlock(), yes = f.NewBlock(), no = f.NewBlock(), hop = f.NewBlock();
        entry.Instructions.Add(new MoveInstruction(n, Operand.Of(4)));
        entry.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, k, n, Operand.Of(2)));
        entry.Instructions.Add(new MoveInstruction(sum, Operand.Of(0)));
        entry.Instructions.Add(new MoveInstruction(i, Operand.Of(0)));
        entry.Terminator = new JumpTerminator(hop);
        hop.Terminator = new JumpTerminator(head);
        head.Terminator = new BranchTerminator(Condition.UnsignedLess, i, k, true, body, exit);
        body.Instructions.Add(new BinaryInstruction(BinaryOp.Add, sum, sum, i) { Source = new SourceLocation("Sum.cs", 5, 9) });
        body.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, dead, sum, sum));
        body.Instructions.Add(new BinaryInstruction(BinaryOp.Add, i, i, Operand.Of(1)));
        body.Terminator = new JumpTerminator(head);
        exit.Terminator = new BranchTerminator(Condition.Equal, k, Operand.Of(8), true, yes, no);
        yes.Terminator = new ReturnTerminator(sum);
        no.Terminator = new ReturnTerminator(Operand.Of(-1));
        IrOutcome before = new IrInterpreter(f).Run();

        int rounds = Optimizer.Run(f, (pass, g) => Assert.Empty(IrVerifier.Verify(g)));

        Assert.InRange(rounds, 2, Optimizer.MaxRounds - 1);
        Assert.Equal("""
            function sum() -> I32
            bb0:
              %2:sum = 0
              %3:i = 0
              goto bb1
            bb1:
              if32 %3:i UnsignedLess 8 goto bb2 else bb4
            bb2:
              %2:sum = add32 %2:sum, %3:i
              %3:i = add32 %3:i, 1
              goto bb1
            bb4:
              return %2:sum

            """.ReplaceLineEndings("\n"), f.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(new SourceLocation("Sum.cs", 5, 9), f.Blocks[2].Instructions[0].Source);
        Assert.Equal(before, new IrInterpreter(f).Run());
        Assert.Equal(28, before.Value);
    }

    [Fact]
    public void Packet_bounds_checks_stay_separate_pointer_comparisons()
    {
        // data = ctx->data; end = ctx->data_end; if (data + 14 > end) drop; if (data + 34 > end) drop; return load
        var f = new IrFunction("xdp_prog") { Section = "xdp", ReturnKind = ValueKind.I32 };
        VirtualRegister ctx = f.NewRegister(ValueKind.Ptr, "ctx");
        f.Parameters.Add(ctx);
        VirtualRegister data = f.NewRegister(ValueKind.Ptr, "data"), end = f.NewRegister(ValueKind.Ptr, "end"),
            eth = f.NewRegister(ValueKind.Ptr), ip = f.NewRegister(ValueKind.Ptr), alias = f.NewRegister(ValueKind.Ptr), v = f.NewRegister(ValueKind.I32);
        BasicBlock entry = f.NewBlock(), second = f.NewBlock(), ok = f.NewBlock(), drop = f.NewBlock();
        entry.Instructions.Add(new LoadInstruction(data, Address.At(ctx, 0), MemorySize.Word));
        entry.Instructions.Add(new LoadInstruction(end, Address.At(ctx, 4), MemorySize.Word));
        entry.Instructions.Add(new BinaryInstruction(BinaryOp.Add, eth, data, Operand.Of(14)));
        entry.Terminator = new BranchTerminator(Condition.UnsignedGreater, eth, end, false, drop, second);
        second.Instructions.Add(new BinaryInstruction(BinaryOp.Add, alias, data, Operand.Of(0)));
        second.Instructions.Add(new BinaryInstruction(BinaryOp.Add, ip, alias, Operand.Of(34)));
        second.Terminator = new BranchTerminator(Condition.UnsignedGreater, ip, end, false, drop, ok);
        ok.Instructions.Add(new LoadInstruction(v, Address.At(data, 23), MemorySize.Byte));
        ok.Terminator = new ReturnTerminator(v);
        drop.Terminator = new ReturnTerminator(Operand.Of(1));

        Optimizer.Run(f, (pass, g) => Assert.Empty(IrVerifier.Verify(g)));

        Assert.Equal("""
            program xdp_prog [xdp](%0:ctx) -> I32
            bb0:
              %1:data = load.u32 [%0:ctx]
              %2:end = load.u32 [%0:ctx+4]
              %3 = add %1:data, 14
              if %3 UnsignedGreater %2:end goto bb3 else bb1
            bb1:
              %4 = add %1:data, 34
              if %4 UnsignedGreater %2:end goto bb3 else bb2
            bb2:
              %6 = load.u8 [%1:data+23]
              return %6
            bb3:
              return 1

            """.ReplaceLineEndings("\n"), f.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Division_by_a_constant_zero_folds_to_eBPF_results_and_an_always_taken_abort_stays()
    {
        var f = new IrFunction("div") { ReturnKind = ValueKind.I64 };
        VirtualRegister x = f.NewRegister(ValueKind.I64, "x");
        f.Parameters.Add(x);
        VirtualRegister zero = f.NewRegister(ValueKind.I64), q = f.NewRegister(ValueKind.I64), m = f.NewRegister(ValueKind.I64), r = f.NewRegister(ValueKind.I64);
        BasicBlock entry = f.NewBlock(), fail = f.NewBlock(), ok = f.NewBlock();
        entry.Instructions.Add(new MoveInstruction(zero, Operand.Of(0)));
        entry.Terminator = new BranchTerminator(Condition.Equal, zero, Operand.Of(0), false, fail, ok);
        fail.Terminator = new AbortTerminator("DivideByZeroException");
        ok.Instructions.Add(new BinaryInstruction(BinaryOp.SDiv, q, x, zero));
        ok.Instructions.Add(new BinaryInstruction(BinaryOp.UMod, m, x, zero));
        ok.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r, q, m));
        ok.Terminator = new ReturnTerminator(r);
        var okCopy = ok; // the branch is always taken, so 'ok' disappears
        Optimizer.Run(f);
        Assert.Equal("""
            function div(%0:x) -> I64
            bb0:
              abort "DivideByZeroException"

            """.ReplaceLineEndings("\n"), f.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain(okCopy, f.Blocks);
    }
}
