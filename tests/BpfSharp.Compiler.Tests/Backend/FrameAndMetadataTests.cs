using BpfSharp.Asm;
using BpfSharp.Compiler.Backend;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using Xunit;
using static BpfSharp.Compiler.IR.ValueKind;

namespace BpfSharp.Compiler.Tests.Backend;

/// <summary>Frame layout, prologue zeroing, references left for the emitter, source locations and the stack limit.</summary>
public class FrameAndMetadataTests
{
    static CompiledFunction Generate(IrFunction function, DiagnosticBag? diagnostics = null) =>
        CodeGenerator.Generate(function, diagnostics ?? new DiagnosticBag());

    [Fact]
    public void Slots_are_zeroed_with_8_byte_stores_and_addressed_below_r10()
    {
        var b = new FunctionBuilder("frame", "syscall", I32);
        StackSlot small = b.Function.NewStackSlot(4, 4, "small");
        StackSlot wide = b.Function.NewStackSlot(12, 16, "wide");
        StackSlot raw = b.Function.NewStackSlot(8, 8, "raw");
        raw.ZeroInitialize = false;
        b.Store(Address.At(raw), Operand.Of(5), MemorySize.DoubleWord);
        VirtualRegister p = b.StackAddress(wide, 4);
        VirtualRegister v = b.Load(I32, Address.At(small), MemorySize.Word);
        b.Store(Address.At(p), v, MemorySize.Word);
        b.Return(Operand.Of(0));

        CompiledFunction compiled = Generate(b.Function);
        Assert.Equal(40, compiled.StackSize); // small at -8, wide 16-aligned at -32, raw at -40
        Assert.Equal("""
            0: (7a) *(u64 *)(r10 -8) = 0
            1: (7a) *(u64 *)(r10 -32) = 0
            2: (7a) *(u64 *)(r10 -24) = 0
            3: (7a) *(u64 *)(r10 -40) = 5
            4: (bf) r1 = r10
            5: (07) r1 += -28
            6: (61) r2 = *(u32 *)(r10 -8)
            7: (63) *(u32 *)(r1 +0) = r2
            8: (b7) r0 = 0
            9: (95) exit
            """.ReplaceLineEndings("\n").Trim(), Disassembler.FormatProgram(compiled.Instructions).Trim());
    }

    [Fact]
    public void Every_instruction_carries_a_source_and_the_first_the_function_symbol()
    {
        var b = new FunctionBuilder("located", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        VirtualRegister x = b.Load(I64, Address.At(ctx, 8), MemorySize.DoubleWord);
        BasicBlock t = b.NewBlock(), f = b.NewBlock();
        b.Branch(Condition.SignedGreater, x, Operand.Of(0x1_0000_0000L), false, t, f);
        b.Block = t; b.Return(Operand.Of(1));
        b.Block = f; b.Return(Operand.Of(2));

        Instruction[] code = Generate(b.Function).Instructions;
        Assert.Equal("located", code[0].Symbol);
        Assert.All(code, i => Assert.NotNull(i.Source));
        Assert.Single(code, i => i.Symbol is not null);
        Assert.Contains(code, i => i.IsLoadImm64 && i.Constant == 0x1_0000_0000L); // beyond imm32: compared through a register
    }

    [Fact]
    public void Symbols_leave_references_and_the_global_offset_in_the_high_half()
    {
        var b = new FunctionBuilder("symbols", returns: null);
        VirtualRegister map = b.Symbol(SymbolKind.Map, "events");
        VirtualRegister global = b.Symbol(SymbolKind.Global, "config", 24);
        VirtualRegister callback = b.Symbol(SymbolKind.Function, "on_item");
        b.Call(new FunctionTarget("helper_sub"), null, map, global, callback);
        b.Call(new KfuncTarget("bpf_rcu_read_lock"), null);
        b.Return(null);

        Instruction[] code = Generate(b.Function).Instructions;
        Instruction mapLoad = Assert.Single(code, i => i.IsLoadImm64 && i.LoadImm64Source == LoadImm64Source.MapFd);
        Assert.Equal("events", mapLoad.Reference);
        Instruction valueLoad = Assert.Single(code, i => i.IsLoadImm64 && i.LoadImm64Source == LoadImm64Source.MapValue);
        Assert.Equal(("config", 24), (valueLoad.Reference, valueLoad.MapValueOffset));
        Assert.Equal("on_item", Assert.Single(code, i => i.IsLoadImm64 && i.LoadImm64Source == LoadImm64Source.Function).Reference);
        Instruction call = Assert.Single(code, i => i.IsBpfCall);
        Assert.Equal(("helper_sub", 0), (call.Reference, call.Immediate));
        Assert.Equal("bpf_rcu_read_lock", Assert.Single(code, i => i.IsKfuncCall).Reference);
        // The three addresses go straight into r1–r3 (no copies) and a void subprogram leaves r0 alone.
        Assert.Equal(6, code.Length);
    }

    [Fact]
    public void A_subprogram_abort_calls_bpf_throw_with_the_exit_code_then_exits()
    {
        var b = new FunctionBuilder("thrower", returns: I32);
        b.Function.ExceptionExitCode = 42;
        VirtualRegister x = b.Param(I32, "x");
        BasicBlock abort = b.NewBlock(), ok = b.NewBlock();
        b.Branch(Condition.Equal, x, Operand.Of(0), true, abort, ok);
        b.Block = abort; b.Abort("DivideByZeroException");
        b.Block = ok; b.Return(b.Binary(BinaryOp.UDiv, I32, Operand.Of(1000), x));

        Instruction[] code = Generate(b.Function).Instructions;
        Assert.Equal("""
            0: (16) if w1 == 0x0 goto pc+3
            1: (b4) w0 = 1000
            2: (3c) w0 /= w1
            3: (95) exit
            4: (b7) r1 = 42
            5: (85) call kernel-function#0
            6: (95) exit
            """.ReplaceLineEndings("\n").Trim(), Disassembler.FormatProgram(code).Trim());
        Assert.Equal("bpf_throw", code[5].Reference);
        Assert.True(code[5].IsKfuncCall);
    }

    [Fact]
    public void A_frame_over_512_bytes_is_reported_with_the_function_name_and_size()
    {
        var b = new FunctionBuilder("big_frame", "syscall", I32);
        b.Function.NewStackSlot(600, 8, "buffer");
        b.Return(Operand.Of(0));
        var diagnostics = new DiagnosticBag();
        Generate(b.Function, diagnostics);
        Diagnostic d = Assert.Single(diagnostics.ToList());
        Assert.Equal("BPF0301", d.Id);
        Assert.Contains("'big_frame' needs 600 bytes", d.Message);
    }

    [Fact]
    public void A_pointer_offset_beyond_16_bits_is_a_diagnostic()
    {
        var b = new FunctionBuilder("far", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        b.Return(b.Load(I32, Address.At(ctx, 40_000), MemorySize.Word));
        var e = Assert.Throws<CompilationErrorException>(() => Generate(b.Function));
        Assert.Equal("BPF0302", e.Diagnostic.Id);
    }
}
