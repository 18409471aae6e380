using BpfSharp.Asm;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using Xunit;

namespace BpfSharp.Compiler.Tests.Backend;

/// <summary>Exact instruction sequences for selection details, in the verifier log's syntax.</summary>
public class GoldenSelectionTests
{
    static string Disassemble(IrFunction function)
    {
        var diagnostics = new DiagnosticBag();
        CompiledFunction compiled = CodeGenerator.Generate(function, diagnostics);
        Assert.Empty(diagnostics.ToList());
        return Disassembler.FormatProgram(compiled.Instructions);
    }

    static void AssertProgram(string expected, IrFunction function)
    {
        string want = expected.ReplaceLineEndings("\n").Trim(), actual = Disassemble(function).Trim();
        if (want != actual) Assert.Fail($"Expected:\n{want}\nActual:\n{actual}");
    }

    [Fact]
    public void Add_one_coalesces_parameter_and_result_into_r1_and_r0()
    {
        var b = new FunctionBuilder("add_one", returns: ValueKind.I32);
        VirtualRegister x = b.Param(ValueKind.I32, "x");
        b.Return(b.Binary(BinaryOp.Add, ValueKind.I32, x, Operand.Of(1)));
        AssertProgram("""
            0: (bf) r0 = r1
            1: (04) w0 += 1
            2: (95) exit
            """, b.Function);
    }

    [Fact]
    public void Zero_extension_of_an_alu32_result_is_a_plain_copy_but_of_a_parameter_a_mov32()
    {
        var b = new FunctionBuilder("zext", returns: ValueKind.I64);
        VirtualRegister x = b.Param(ValueKind.I32, "x");
        VirtualRegister y = b.Param(ValueKind.I32, "y");
        VirtualRegister sum = b.Binary(BinaryOp.Add, ValueKind.I32, x, Operand.Of(7));
        VirtualRegister wide = b.Extend(ValueKind.I64, sum, 32, signed: false);
        VirtualRegister wideY = b.Extend(ValueKind.I64, y, 32, signed: false);
        b.Return(b.Binary(BinaryOp.Mul, ValueKind.I64, wide, wideY));
        AssertProgram("""
            0: (bf) r0 = r1
            1: (04) w0 += 7
            2: (bc) w1 = w2
            3: (2f) r0 *= r1
            4: (95) exit
            """, b.Function);
    }

    [Fact]
    public void Constants_use_immediates_mov32_for_u32_range_and_ld_imm64_beyond()
    {
        var b = new FunctionBuilder("consts", returns: ValueKind.I64);
        VirtualRegister x = b.Param(ValueKind.I64, "x");
        VirtualRegister a = b.Binary(BinaryOp.Add, ValueKind.I64, x, Operand.Of(-5));
        VirtualRegister c = b.Binary(BinaryOp.Xor, ValueKind.I64, a, Operand.Of(0xFFFF_FFFFL));
        VirtualRegister d = b.Binary(BinaryOp.And, ValueKind.I64, c, Operand.Of(0x1_0000_0001L));
        b.Return(d);
        AssertProgram("""
            0: (07) r1 += -5
            1: (b4) w2 = -1
            2: (af) r2 ^= r1
            3: (18) r0 = 0x100000001
            5: (5f) r0 &= r2
            6: (95) exit
            """, b.Function);
    }

    [Fact]
    public void Branches_use_jmp32_for_32_bit_compares_swap_a_constant_left_and_fall_through()
    {
        var b = new FunctionBuilder("max5", returns: ValueKind.I32);
        VirtualRegister x = b.Param(ValueKind.I32, "x");
        BasicBlock big = b.NewBlock(), small = b.NewBlock();
        b.Branch(Condition.UnsignedLess, Operand.Of(5), x, is32: true, big, small); // 5 < x  ==  x > 5
        b.Block = big; b.Return(x);
        b.Block = small; b.Return(Operand.Of(5));
        AssertProgram("""
            0: (26) if w1 > 0x5 goto pc+2
            1: (b7) r0 = 5
            2: (95) exit
            3: (bf) r0 = r1
            4: (95) exit
            """, b.Function);
    }
}
