using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Compiler.IR;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Compiler.IR.ValueKind;

namespace BpfSharp.Compiler.Tests.Backend;

/// <summary>
/// Hand-built IR, generated, loaded into the kernel (syscall programs, BPF_F_TEST_RND_HI32) and run over many
/// inputs; every result is compared with the same computation in C#. The context is an array of u64: the
/// inputs at the front, the program writes results behind them.
/// </summary>
public class KernelExecutionTests
{
    const int Slots = 16;

    static IEnumerable<long[]> Inputs(int count, int seed)
    {
        var random = new Random(seed);
        long[] edges = [0, 1, -1, 2, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 0x1234_5678_9abc_def0];
        for (int i = 0; i < count; i++)
        {
            var context = new long[Slots];
            for (int j = 0; j < 8; j++)
                context[j] = i < edges.Length * 2 && random.Next(3) == 0 ? edges[random.Next(edges.Length)] : random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64);
            yield return context;
        }
    }

    static VirtualRegister Input(FunctionBuilder b, VirtualRegister ctx, int index, ValueKind kind = I64) =>
        b.Load(kind, Address.At(ctx, index * 8), kind == I32 ? MemorySize.Word : MemorySize.DoubleWord);

    static void Output(FunctionBuilder b, VirtualRegister ctx, int index, Operand value) =>
        b.Store(Address.At(ctx, (8 + index) * 8), value, MemorySize.DoubleWord);

    [Fact]
    public void Diamond_with_32_and_64_bit_arithmetic_and_extensions()
    {
        KernelRunner.Require();
        var b = new FunctionBuilder("diamond", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        VirtualRegister a = Input(b, ctx, 0), c = Input(b, ctx, 1);
        VirtualRegister a32 = Input(b, ctx, 0, I32), c32 = Input(b, ctx, 1, I32);
        VirtualRegister x = b.Reg(I64, "x");
        BasicBlock less = b.NewBlock(), other = b.NewBlock(), join = b.NewBlock();
        b.Branch(Condition.SignedLess, a, c, false, less, other);
        b.Block = less; b.BinaryInto(x, BinaryOp.Mul, a, Operand.Of(3)); b.Jump(join);
        b.Block = other; b.BinaryInto(x, BinaryOp.Sub, c, a); b.Jump(join);
        b.Block = join;
        VirtualRegister shifted = b.Binary(BinaryOp.AShr, I64, x, Operand.Of(3));
        Output(b, ctx, 0, b.Binary(BinaryOp.Xor, I64, x, shifted));
        VirtualRegister q = b.Binary(BinaryOp.UDiv, I32, a32, c32);                    // x / 0 = 0 in eBPF
        VirtualRegister m = b.Binary(BinaryOp.SMod, I32, a32, Operand.Of(7));
        VirtualRegister sub = b.Binary(BinaryOp.Sub, I32, Operand.Of(100), a32);          // constant left, not commutative
        Output(b, ctx, 1, b.Extend(I64, q, 32, signed: false));
        Output(b, ctx, 2, b.Extend(I64, m, 32, signed: true));
        Output(b, ctx, 3, b.Extend(I64, sub, 32, signed: false));
        Output(b, ctx, 4, b.Extend(I64, a, 8, signed: true));
        Output(b, ctx, 5, b.Extend(I64, c32, 16, signed: false));
        Output(b, ctx, 6, b.Load(I64, Address.At(ctx, 0), MemorySize.Half, signExtend: true));
        Output(b, ctx, 7, b.Unary(UnaryOp.ByteSwap32, I32, c32));
        b.Return(b.Binary(BinaryOp.Or, I32, q, Operand.Of(0)));

        using BpfProgram program = KernelRunner.Load(KernelRunner.Link(b.Function));
        foreach (long[] context in Inputs(300, 1))
        {
            long av = context[0], cv = context[1];
            uint a32v = (uint)av, c32v = (uint)cv;
            uint ret = KernelRunner.Run(program, context);
            long xv = av < cv ? av * 3 : cv - av;
            uint qv = c32v == 0 ? 0 : a32v / c32v;
            Assert.Equal(qv, ret);
            Assert.Equal(xv ^ (xv >> 3), context[8]);
            Assert.Equal((long)qv, context[9]);
            Assert.Equal((long)((int)a32v % 7), context[10]);
            Assert.Equal((long)(uint)(100 - a32v), context[11]);
            Assert.Equal((long)(sbyte)av, context[12]);
            Assert.Equal((long)(ushort)cv, context[13]);
            Assert.Equal((long)(short)av, context[14]);
            Assert.Equal((long)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(c32v), context[15]);
        }
    }

    [Fact]
    public void Loop_over_a_register_assigned_in_several_places()
    {
        KernelRunner.Require();
        var b = new FunctionBuilder("loop", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        VirtualRegister n = b.Binary(BinaryOp.And, I64, Input(b, ctx, 0), Operand.Of(63));
        VirtualRegister seed = Input(b, ctx, 1);
        VirtualRegister i = b.Reg(I64, "i"), sum = b.Reg(I64, "sum"), acc32 = b.Reg(I32, "acc32");
        b.Move(i, Operand.Of(0)); b.Move(sum, seed); b.Move(acc32, Operand.Of(1));
        BasicBlock head = b.NewBlock(), body = b.NewBlock(), exit = b.NewBlock();
        b.Jump(head);
        b.Block = head; b.Branch(Condition.UnsignedLess, i, n, false, body, exit);
        b.Block = body;
        VirtualRegister sq = b.Binary(BinaryOp.Mul, I64, i, i);
        b.BinaryInto(sum, BinaryOp.Add, sum, sq);
        b.BinaryInto(sum, BinaryOp.Xor, sum, Operand.Of(0x5555_5555_5555L));
        VirtualRegister i32 = b.Extend(I32, i, 32, signed: false);
        b.BinaryInto(acc32, BinaryOp.Mul, acc32, Operand.Of(31));
        b.BinaryInto(acc32, BinaryOp.Add, acc32, i32);
        b.BinaryInto(i, BinaryOp.Add, i, Operand.Of(1));
        b.Jump(head);
        b.Block = exit;
        Output(b, ctx, 0, sum);
        Output(b, ctx, 1, b.Extend(I64, acc32, 32, signed: false));
        b.Return(acc32);

        using BpfProgram program = KernelRunner.Load(KernelRunner.Link(b.Function));
        foreach (long[] context in Inputs(200, 2))
        {
            long nv = context[0] & 63, sumv = context[1];
            uint acc = 1;
            for (long iv = 0; iv < nv; iv++)
            {
                sumv = (sumv + iv * iv) ^ 0x5555_5555_5555L;
                acc = acc * 31 + (uint)iv;
            }
            uint ret = KernelRunner.Run(program, context);
            Assert.Equal(acc, ret);
            Assert.Equal(sumv, context[8]);
            Assert.Equal((long)acc, context[9]);
        }
    }

    [Fact]
    public void Sixteen_live_values_force_spills_and_survive_them()
    {
        KernelRunner.Require();
        var b = new FunctionBuilder("spills", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        var values = new List<VirtualRegister>();
        for (int k = 0; k < 8; k++) values.Add(Input(b, ctx, k));
        for (int k = 0; k < 8; k++) values.Add(b.Binary(BinaryOp.Mul, I64, values[k], Operand.Of(k + 3)));
        VirtualRegister total = b.Reg(I64, "total");
        b.Move(total, Operand.Of(0));
        for (int k = 0; k < values.Count; k++)
            b.BinaryInto(total, k % 2 == 0 ? BinaryOp.Add : BinaryOp.Xor, total, b.Binary(BinaryOp.Mul, I64, values[k], values[values.Count - 1 - k]));
        Output(b, ctx, 0, total);
        for (int k = 0; k < 7; k++) Output(b, ctx, k + 1, b.Binary(BinaryOp.Sub, I64, values[k + 8], values[k]));
        b.Return(Operand.Of(1));

        var compiled = KernelRunner.Compile(b.Function);
        Assert.True(compiled.StackSize > 0, "sixteen values live at once need spill slots");
        using BpfProgram program = KernelRunner.Load(KernelRunner.Link(b.Function));
        foreach (long[] context in Inputs(200, 3))
        {
            long[] v = new long[16];
            for (int k = 0; k < 8; k++) { v[k] = context[k]; v[k + 8] = context[k] * (k + 3); }
            long t = 0;
            for (int k = 0; k < 16; k++) t = k % 2 == 0 ? t + v[k] * v[15 - k] : t ^ v[k] * v[15 - k];
            Assert.Equal(1u, KernelRunner.Run(program, context));
            Assert.Equal(t, context[8]);
            for (int k = 0; k < 7; k++) Assert.Equal(v[k + 8] - v[k], context[9 + k]);
        }
    }

    [Fact]
    public void Values_live_across_helper_calls_stay_intact()
    {
        KernelRunner.Require();
        var b = new FunctionBuilder("calls", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        var live = new List<VirtualRegister>();
        for (int k = 0; k < 6; k++) live.Add(Input(b, ctx, k));
        VirtualRegister time = b.Call(new HelperTarget((int)BpfHelperId.KtimeGetNs, "bpf_ktime_get_ns"), I64)!;
        VirtualRegister random = b.Call(new HelperTarget((int)BpfHelperId.GetPrandomU32, "bpf_get_prandom_u32"), I32)!;
        VirtualRegister time2 = b.Call(new HelperTarget((int)BpfHelperId.KtimeGetNs, "bpf_ktime_get_ns"), I64)!;
        VirtualRegister sum = b.Reg(I64, "sum");
        b.Move(sum, Operand.Of(0));
        foreach (VirtualRegister v in live) b.BinaryInto(sum, BinaryOp.Add, b.Binary(BinaryOp.Mul, I64, sum, Operand.Of(3)), v);
        Output(b, ctx, 0, sum);
        Output(b, ctx, 1, b.Binary(BinaryOp.Sub, I64, time2, time));
        Output(b, ctx, 2, b.Extend(I64, random, 32, signed: false));
        Output(b, ctx, 3, time);
        b.Return(Operand.Of(0));

        Instruction[] code = KernelRunner.Link(b.Function);
        using BpfProgram program = KernelRunner.Load(code);
        foreach (long[] context in Inputs(50, 4))
        {
            long expected = 0;
            for (int k = 0; k < 6; k++) expected = expected * 3 + context[k];
            Assert.Equal(0u, KernelRunner.Run(program, context));
            Assert.Equal(expected, context[8]);
            Assert.InRange(context[9], 0, 1_000_000_000);       // monotonic clock
            Assert.InRange(context[10], 0, uint.MaxValue);       // zero-extended random
            Assert.True(context[11] > 0, "bpf_ktime_get_ns returned its time through r0");
        }
    }

    static IrFunction Polynomial()
    {
        // sub poly(a, b, c) = sum over i < (c & 15) of a*i - b, with a loop and values live across nothing.
        var f = new FunctionBuilder("poly", returns: I64);
        VirtualRegister a = f.Param(I64, "a"), bb = f.Param(I64, "b"), c = f.Param(I64, "c");
        VirtualRegister n = f.Binary(BinaryOp.And, I64, c, Operand.Of(15));
        VirtualRegister i = f.Reg(I64, "i"), acc = f.Reg(I64, "acc");
        f.Move(i, Operand.Of(0)); f.Move(acc, Operand.Of(0));
        BasicBlock head = f.NewBlock(), body = f.NewBlock(), done = f.NewBlock();
        f.Jump(head);
        f.Block = head; f.Branch(Condition.UnsignedGreaterOrEqual, i, n, false, done, body);
        f.Block = body;
        f.BinaryInto(acc, BinaryOp.Add, acc, f.Binary(BinaryOp.Sub, I64, f.Binary(BinaryOp.Mul, I64, a, i), bb));
        f.BinaryInto(i, BinaryOp.Add, i, Operand.Of(1));
        f.Jump(head);
        f.Block = done; f.Return(acc);
        return f.Function;
    }

    static long PolynomialInCSharp(long a, long b, long c)
    {
        long acc = 0;
        for (long i = 0; i < (c & 15); i++) acc += a * i - b;
        return acc;
    }

    [Fact]
    public void Bpf_to_bpf_calls_with_swapped_arguments_and_values_live_across()
    {
        KernelRunner.Require();
        var b = new FunctionBuilder("caller", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        VirtualRegister x = Input(b, ctx, 0), y = Input(b, ctx, 1), z = Input(b, ctx, 2);
        VirtualRegister first = b.Call(new FunctionTarget("poly"), I64, x, y, z)!;
        VirtualRegister second = b.Call(new FunctionTarget("poly"), I64, y, x, Operand.Of(9))!;   // swapped: a parallel move
        Output(b, ctx, 0, first);
        Output(b, ctx, 1, second);
        Output(b, ctx, 2, b.Binary(BinaryOp.Add, I64, b.Binary(BinaryOp.Mul, I64, x, y), z));   // x, y, z crossed two calls
        b.Return(Operand.Of(7));

        using BpfProgram program = KernelRunner.Load(KernelRunner.Link(b.Function, [Polynomial()]));
        foreach (long[] context in Inputs(100, 5))
        {
            long xv = context[0], yv = context[1], zv = context[2];
            Assert.Equal(7u, KernelRunner.Run(program, context));
            Assert.Equal(PolynomialInCSharp(xv, yv, zv), context[8]);
            Assert.Equal(PolynomialInCSharp(yv, xv, 9), context[9]);
            Assert.Equal(xv * yv + zv, context[10]);
        }
    }

    [Fact]
    public void Map_lookup_with_a_zeroed_stack_key_atomics_and_compare_exchange()
    {
        KernelRunner.Require();
        using var counters = ArrayMap<ulong>.Create(8, "be_counters");
        var b = new FunctionBuilder("maps", "syscall", I32);
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        StackSlot key = b.Function.NewStackSlot(4, 4, "key");
        StackSlot scratch = b.Function.NewStackSlot(12, 4, "scratch");   // zeroed in the prologue, never written
        VirtualRegister index = b.Binary(BinaryOp.And, I32, Input(b, ctx, 0, I32), Operand.Of(7));
        b.Store(Address.At(key), index, MemorySize.Word);
        VirtualRegister map = b.Symbol(SymbolKind.Map, "be_counters");
        VirtualRegister value = b.Call(new HelperTarget((int)BpfHelperId.MapLookupElem, "bpf_map_lookup_elem"), Ptr, map, b.StackAddress(key))!;
        BasicBlock found = b.NewBlock(), missing = b.NewBlock();
        b.Branch(Condition.Equal, value, Operand.Of(0), false, missing, found);
        b.Block = missing; b.Return(Operand.Of(99));
        b.Block = found;
        VirtualRegister old = b.Atomic(AtomicOp.FetchAdd, I64, Address.At(value), Input(b, ctx, 1), MemorySize.DoubleWord)!;
        b.Atomic(AtomicOp.Or, null, Address.At(value), Operand.Of(1L << 40), MemorySize.DoubleWord);
        VirtualRegister swapped = b.CompareExchange(I64, Address.At(scratch), Operand.Of(0), Input(b, ctx, 2), MemorySize.DoubleWord);
        Output(b, ctx, 0, old);
        Output(b, ctx, 1, swapped);
        Output(b, ctx, 2, b.Load(I64, Address.At(scratch), MemorySize.DoubleWord));
        Output(b, ctx, 3, b.Load(I64, Address.At(scratch, 8), MemorySize.Word));
        b.Return(Operand.Of(1));

        using BpfProgram program = KernelRunner.Load(KernelRunner.Link(b.Function, maps: new Dictionary<string, BpfMap> { ["be_counters"] = counters.Map }));
        var expected = new ulong[8];
        foreach (long[] context in Inputs(100, 6))
        {
            int slot = (int)(context[0] & 7);
            ulong before = expected[slot];
            expected[slot] = (before + (ulong)context[1]) | (1UL << 40);
            Assert.Equal(1u, KernelRunner.Run(program, context));
            Assert.Equal((long)before, context[8]);
            Assert.Equal(0, context[9]);                 // scratch was zero: cmpxchg returned 0 and stored
            Assert.Equal(context[2], context[10]);
            Assert.Equal(0, context[11]);                // the zeroed tail of the 12-byte slot
        }
        for (uint k = 0; k < 8; k++) Assert.Equal(expected[k], counters[k]);
    }

    [Fact]
    public void A_program_abort_returns_the_exception_exit_code()
    {
        KernelRunner.Require();
        var b = new FunctionBuilder("aborts", "syscall", I32);
        b.Function.ExceptionExitCode = 0x7ead;
        VirtualRegister ctx = b.Param(Ptr, "ctx");
        VirtualRegister divisor = Input(b, ctx, 1, I32);
        BasicBlock abort = b.NewBlock(), ok = b.NewBlock();
        b.Branch(Condition.Equal, divisor, Operand.Of(0), true, abort, ok);
        b.Block = abort; b.Abort("DivideByZeroException");
        b.Block = ok; b.Return(b.Binary(BinaryOp.UDiv, I32, Input(b, ctx, 0, I32), divisor));

        using BpfProgram program = KernelRunner.Load(KernelRunner.Link(b.Function));
        foreach (long[] context in Inputs(100, 7))
        {
            if (context[0] % 5 == 0) context[1] &= unchecked((long)0xFFFF_FFFF_0000_0000); // low half zero: aborts
            uint expected = (uint)context[1] == 0 ? 0x7eadu : (uint)context[0] / (uint)context[1];
            Assert.Equal(expected, KernelRunner.Run(program, context));
        }
    }
}
