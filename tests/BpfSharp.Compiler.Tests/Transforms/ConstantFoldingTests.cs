using Xunit;

using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

public class ConstantFoldingTests
{
    [Fact]
    public void Constants_fold_with_eBPF_semantics()
    {
        var f = new IrFunction("fold") { ReturnKind = ValueKind.I64 };
        BasicBlock b = f.NewBlock();
        VirtualRegister w = f.NewRegister(ValueKind.I32), d = f.NewRegister(ValueKind.I32), m = f.NewRegister(ValueKind.I32),
            s = f.NewRegister(ValueKind.I64), m64 = f.NewRegister(ValueKind.I64), sh = f.NewRegister(ValueKind.I64),
            sx = f.NewRegister(ValueKind.I64), bs = f.NewRegister(ValueKind.I32), big = f.NewRegister(ValueKind.I32);
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, w, Operand.Of(int.MaxValue), Operand.Of(1)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.UDiv, d, Operand.Of(7), Operand.Of(0)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.UMod, m, Operand.Of(7), Operand.Of(0x1_0000_0000)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.SDiv, s, Operand.Of(long.MinValue), Operand.Of(-1)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.SMod, m64, Operand.Of(-7), Operand.Of(2)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Shl, sh, Operand.Of(1), Operand.Of(64)));
        b.Instructions.Add(new ExtendInstruction(sx, Operand.Of(0x80), 8, signed: true));
        b.Instructions.Add(new UnaryInstruction(UnaryOp.ByteSwap16, bs, Operand.Of(0x11223344)));
        b.Instructions.Add(new MoveInstruction(big, Operand.Of(0x1_0000_0005)));
        b.Terminator = new ReturnTerminator(s);
        Golden.Check(f, ConstantFolding.Run, """
            function fold() -> I64
            bb0:
              %0 = add32 2147483647, 1
              %1 = udiv32 7, 0
              %2 = umod32 7, 4294967296
              %3 = sdiv -9223372036854775808, -1
              %4 = smod -7, 2
              %5 = shl 1, 64
              %6 = sext8 128
              %7 = bytesWap16 287454020
              %8 = 4294967301
              return %3
            """.Replace("bytesWap16", "byteswap16"), """
            function fold() -> I64
            bb0:
              %0 = -2147483648
              %1 = 0
              %2 = 7
              %3 = -9223372036854775808
              %4 = -1
              %5 = shl 1, 64
              %6 = -128
              %7 = 17459
              %8 = 5
              return %3
            """);
    }

    [Fact]
    public void Algebraic_identities_simplify_without_changing_pointer_kinds()
    {
        var f = new IrFunction("algebra") { ReturnKind = ValueKind.I64 };
        VirtualRegister x = f.NewRegister(ValueKind.I64, "x"), p = f.NewRegister(ValueKind.Ptr, "p"), n = f.NewRegister(ValueKind.I32, "n");
        f.Parameters.AddRange([x, p, n]);
        BasicBlock b = f.NewBlock();
        VirtualRegister[] r = [.. Enumerable.Range(0, 10).Select(k => f.NewRegister(k is 8 or 9 ? ValueKind.Ptr : k == 7 ? ValueKind.I32 : ValueKind.I64))];
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r[0], x, Operand.Of(0)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, r[1], x, Operand.Of(8)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.UDiv, r[2], x, Operand.Of(16)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.UMod, r[3], x, Operand.Of(32)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.And, r[4], x, Operand.Of(0)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Or, r[5], Operand.Of(6), x));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.SDiv, r[6], x, Operand.Of(4)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Mul, r[7], n, Operand.Of(0x1_0000_0004)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r[8], p, Operand.Of(0)));
        b.Instructions.Add(new BinaryInstruction(BinaryOp.Add, r[9], x, Operand.Of(0)));
        b.Terminator = new ReturnTerminator(x);
        Golden.Check(f, ConstantFolding.Run, """
            function algebra(%0:x, %1:p, %2:n) -> I64
            bb0:
              %3 = add %0:x, 0
              %4 = mul %0:x, 8
              %5 = udiv %0:x, 16
              %6 = umod %0:x, 32
              %7 = and %0:x, 0
              %8 = or 6, %0:x
              %9 = sdiv %0:x, 4
              %10 = mul32 %2:n, 4294967300
              %11 = add %1:p, 0
              %12 = add %0:x, 0
              return %0:x
            """, """
            function algebra(%0:x, %1:p, %2:n) -> I64
            bb0:
              %3 = %0:x
              %4 = shl %0:x, 3
              %5 = lshr %0:x, 4
              %6 = and %0:x, 31
              %7 = 0
              %8 = or %0:x, 6
              %9 = sdiv %0:x, 4
              %10 = shl32 %2:n, 2
              %11 = %1:p
              %12 = add %0:x, 0
              return %0:x
            """);
    }
}
