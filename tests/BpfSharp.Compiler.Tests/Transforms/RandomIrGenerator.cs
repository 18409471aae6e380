using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Tests.Transforms;

/// <summary>
/// Builds random, well-formed IR functions for differential testing: arithmetic of both widths, extends, stack
/// loads and stores (direct and through pointers), nested branches, loops with bounded counters, early returns
/// and aborts. Variables are reassigned freely (the IR is not SSA), temporaries live within a block, every
/// variable is defined at entry, and the result mixes every variable and the stack so any miscompile shows.
/// </summary>
sealed class RandomIrGenerator
{
    static readonly long[] Interesting =
        [0, 1, -1, 2, 3, 7, 8, 16, 31, 32, 63, 64, 255, 256, 0x7fffffff, int.MinValue, 0xffffffffL, 0x100000000L, long.MinValue, long.MaxValue, 12345, -77];

    readonly Random _rng;
    readonly IrFunction _f;
    readonly List<VirtualRegister> _i32 = [], _i64 = [];
    readonly StackSlot _slot;
    BasicBlock _block;
    int _budget;

    public RandomIrGenerator(int seed)
    {
        _rng = new Random(seed);
        _f = new IrFunction($"random_{seed}") { ReturnKind = _rng.Next(2) == 0 ? ValueKind.I32 : ValueKind.I64 };
        _slot = _f.NewStackSlot(32, 8, "buf");
        _block = _f.NewBlock();
        _budget = 20 + _rng.Next(60);
    }

    public static long RandomArgument(Random rng) => rng.Next(3) switch
    {
        0 => Interesting[rng.Next(Interesting.Length)],
        1 => rng.Next(-20, 20),
        _ => rng.NextInt64(long.MinValue, long.MaxValue),
    };

    public IrFunction Generate()
    {
        VirtualRegister a = _f.NewRegister(ValueKind.I32, "a"), b = _f.NewRegister(ValueKind.I64, "b");
        _f.Parameters.Add(a);
        _f.Parameters.Add(b);
        _i32.Add(a);
        _i64.Add(b);
        for (int k = 0; k < 3; k++)
        {
            VirtualRegister x = _f.NewRegister(ValueKind.I32, $"x{k}"), y = _f.NewRegister(ValueKind.I64, $"y{k}");
            Emit(new MoveInstruction(x, _rng.Next(2) == 0 ? Operand.Of(a) : Constant()));
            Emit(new MoveInstruction(y, _rng.Next(2) == 0 ? Operand.Of(b) : Constant()));
            _i32.Add(x);
            _i64.Add(y);
        }
        Statements(depth: 3);
        Finish();
        return _f;
    }

    void Emit(IrInstruction i)
    {
        i.Source ??= new SourceLocation("Random.cs", _block.Id + 1, _block.Instructions.Count + 1);
        _block.Instructions.Add(i);
    }

    T Pick<T>(List<T> list) => list[_rng.Next(list.Count)];
    Operand Constant() => Operand.Of(Interesting[_rng.Next(Interesting.Length)] + (_rng.Next(4) == 0 ? _rng.Next(-3, 4) : 0));
    List<VirtualRegister> Pool(bool is32) => is32 ? _i32 : _i64;
    Operand OperandOf(bool is32) => _rng.Next(4) == 0 ? Constant() : Pick(Pool(is32));

    void Statements(int depth)
    {
        int count = 1 + _rng.Next(5);
        for (int k = 0; k < count && _budget > 0; k++, _budget--)
        {
            int choice = _rng.Next(depth > 0 ? 16 : 11);
            switch (choice)
            {
                case 0 or 1 or 2: Arithmetic(); break;
                case 3: Unary(); break;
                case 4: Extend(); break;
                case 5: Move(); break;
                case 6: StoreSomething(); break;
                case 7: LoadSomething(); break;
                case 8: Repeated(); break;
                case 9: Abort(); break;
                case 10: EmptyHop(); break;
                case 11 or 12: IfElse(depth); break;
                case 13 or 14: Loop(depth); break;
                case 15: EarlyReturn(depth); break;
            }
        }
    }

    static readonly BinaryOp[] Ops = Enum.GetValues<BinaryOp>();

    void Arithmetic()
    {
        bool is32 = _rng.Next(2) == 0;
        VirtualRegister dst = Pick(Pool(is32));
        BinaryOp op = Ops[_rng.Next(Ops.Length)];
        Operand left = OperandOf(is32), right = OperandOf(is32);
        if (op is BinaryOp.Shl or BinaryOp.LShr or BinaryOp.AShr)
        {
            int width = is32 ? 32 : 64;
            if (_rng.Next(2) == 0) right = Operand.Of(_rng.Next(width));
            else
            {
                // The frontend masks shift counts; so do we.
                VirtualRegister count = _f.NewRegister(is32 ? ValueKind.I32 : ValueKind.I64);
                Emit(new BinaryInstruction(BinaryOp.And, count, Pick(Pool(is32)), Operand.Of(width - 1)));
                right = count;
            }
        }
        Emit(new BinaryInstruction(op, dst, left, right));
    }

    void Unary()
    {
        bool is32 = _rng.Next(2) == 0;
        UnaryOp[] ops = is32 ? [UnaryOp.Neg, UnaryOp.Not, UnaryOp.ByteSwap16, UnaryOp.ByteSwap32] : Enum.GetValues<UnaryOp>();
        Emit(new UnaryInstruction(ops[_rng.Next(ops.Length)], Pick(Pool(is32)), OperandOf(is32)));
    }

    void Extend()
    {
        bool signed = _rng.Next(2) == 0;
        switch (_rng.Next(3))
        {
            case 0: Emit(new ExtendInstruction(Pick(_i64), OperandOf(true), 32, signed)); break;
            case 1: Emit(new ExtendInstruction(Pick(_i32), OperandOf(true), _rng.Next(2) == 0 ? 8 : 16, signed)); break;
            default: Emit(new ExtendInstruction(Pick(_i64), OperandOf(false), 8 << _rng.Next(3), signed)); break;
        }
    }

    void Move()
    {
        bool is32 = _rng.Next(2) == 0;
        Emit(new MoveInstruction(Pick(Pool(is32)), OperandOf(is32)));
    }

    static readonly MemorySize[] Sizes = [MemorySize.Byte, MemorySize.Half, MemorySize.Word, MemorySize.DoubleWord];

    (Address Address, MemorySize Size) RandomAccess(bool allow64)
    {
        MemorySize size = Sizes[_rng.Next(allow64 ? 4 : 3)];
        int bytes = size switch { MemorySize.Byte => 1, MemorySize.Half => 2, MemorySize.Word => 4, _ => 8 };
        int offset = _rng.Next(32 / bytes) * bytes;
        if (_rng.Next(3) != 0) return (Address.At(_slot, offset), size);
        // Through a pointer, sometimes with pointer arithmetic: aliases the direct accesses.
        VirtualRegister p = _f.NewRegister(ValueKind.Ptr, "p");
        int baseOffset = _rng.Next(2) == 0 ? 0 : offset;
        Emit(new StackAddressInstruction(p, _slot, baseOffset));
        if (_rng.Next(2) == 0)
        {
            VirtualRegister q = _f.NewRegister(ValueKind.Ptr, "q");
            Emit(new BinaryInstruction(BinaryOp.Add, q, p, Operand.Of(0)));
            p = q;
        }
        return (Address.At(p, offset - baseOffset), size);
    }

    void StoreSomething()
    {
        bool is32 = _rng.Next(2) == 0;
        var (address, size) = RandomAccess(allow64: !is32);
        Emit(new StoreInstruction(address, OperandOf(is32), size));
    }

    void LoadSomething()
    {
        bool is32 = _rng.Next(2) == 0;
        var (address, size) = RandomAccess(allow64: !is32);
        bool signExtend = size != MemorySize.DoubleWord && _rng.Next(3) == 0;
        Emit(new LoadInstruction(Pick(Pool(is32)), address, size, signExtend));
    }

    void Repeated()
    {
        // The same expression or load twice, with a store in between now and then: local value numbering's cases.
        bool is32 = _rng.Next(2) == 0;
        if (_rng.Next(2) == 0)
        {
            BinaryOp op = Ops[_rng.Next(8)];
            Operand l = Pick(Pool(is32)), r = OperandOf(is32);
            VirtualRegister t1 = _f.NewRegister(is32 ? ValueKind.I32 : ValueKind.I64), d = Pick(Pool(is32));
            Emit(new BinaryInstruction(op, t1, l, r));
            if (_rng.Next(2) == 0) Arithmetic();
            Emit(new BinaryInstruction(op, d, l, r));
            Emit(new BinaryInstruction(BinaryOp.Xor, d, d, t1));
        }
        else
        {
            var (address, size) = RandomAccess(allow64: !is32);
            Emit(new LoadInstruction(Pick(Pool(is32)), address, size));
            if (_rng.Next(2) == 0) StoreSomething();
            Emit(new LoadInstruction(Pick(Pool(is32)), address, size));
        }
    }

    (Condition, Operand, Operand, bool) RandomCondition()
    {
        bool is32 = _rng.Next(2) == 0;
        var c = (Condition)_rng.Next(Enum.GetValues<Condition>().Length);
        Operand l = _rng.Next(6) == 0 ? Constant() : Pick(Pool(is32));
        Operand r = OperandOf(is32);
        return (c, l, r, is32);
    }

    void Branch(BasicBlock whenTrue, BasicBlock whenFalse)
    {
        var (c, l, r, is32) = RandomCondition();
        _block.Terminator = new BranchTerminator(c, l, r, is32, whenTrue, whenFalse) { Source = new SourceLocation("Random.cs", 1000 + _block.Id) };
    }

    void IfElse(int depth)
    {
        BasicBlock then = _f.NewBlock(), join = _f.NewBlock();
        BasicBlock otherwise = _rng.Next(3) == 0 ? join : _f.NewBlock();
        Branch(then, otherwise);
        _block = then;
        Statements(depth - 1);
        _block.Terminator = new JumpTerminator(join);
        if (otherwise != join)
        {
            _block = otherwise;
            Statements(depth - 1);
            _block.Terminator = new JumpTerminator(join);
        }
        _block = join;
    }

    void Loop(int depth)
    {
        bool wide = _rng.Next(2) == 0;
        VirtualRegister i = _f.NewRegister(wide ? ValueKind.I64 : ValueKind.I32, "i");
        Emit(new MoveInstruction(i, Operand.Of(0)));
        BasicBlock header = _f.NewBlock(), body = _f.NewBlock(), exit = _f.NewBlock();
        _block.Terminator = new JumpTerminator(header);
        header.Terminator = new BranchTerminator(Condition.SignedGreaterOrEqual, i, Operand.Of(1 + _rng.Next(4)), !wide, exit, body);
        _block = body;
        Statements(depth - 1);
        Emit(new BinaryInstruction(BinaryOp.Add, i, i, Operand.Of(1)));
        _block.Terminator = new JumpTerminator(header);
        _block = exit;
    }

    void EarlyReturn(int depth)
    {
        BasicBlock leave = _f.NewBlock(), stay = _f.NewBlock();
        Branch(leave, stay);
        _block = leave;
        Statements(depth - 1);
        Finish();
        _block = stay;
    }

    void Abort()
    {
        BasicBlock fail = _f.NewBlock(), ok = _f.NewBlock();
        VirtualRegister v = Pick(_i32);
        _block.Terminator = new BranchTerminator(Condition.Equal, v, Operand.Of(Interesting[_rng.Next(4)]), true, fail, ok);
        fail.Terminator = new AbortTerminator("OverflowException");
        _block = ok;
    }

    void EmptyHop()
    {
        BasicBlock hop = _f.NewBlock(), next = _f.NewBlock();
        _block.Terminator = new JumpTerminator(hop);
        hop.Terminator = new JumpTerminator(next);
        _block = next;
    }

    /// <summary>Returns a checksum of every variable and the whole stack slot.</summary>
    void Finish()
    {
        VirtualRegister acc = _f.NewRegister(ValueKind.I64, "acc");
        Emit(new MoveInstruction(acc, Operand.Of(0x1234567)));
        void Mix(Operand v)
        {
            Emit(new BinaryInstruction(BinaryOp.Mul, acc, acc, Operand.Of(31)));
            Emit(new BinaryInstruction(BinaryOp.Xor, acc, acc, v));
        }
        foreach (VirtualRegister x in _i32)
        {
            VirtualRegister wide = _f.NewRegister(ValueKind.I64);
            Emit(new ExtendInstruction(wide, x, 32, signed: false));
            Mix(wide);
        }
        foreach (VirtualRegister y in _i64) Mix(y);
        for (int off = 0; off < 32; off += 8)
        {
            VirtualRegister m = _f.NewRegister(ValueKind.I64);
            Emit(new LoadInstruction(m, Address.At(_slot, off), MemorySize.DoubleWord));
            Mix(m);
        }
        if (_f.ReturnKind == ValueKind.I32)
        {
            VirtualRegister r = _f.NewRegister(ValueKind.I32);
            VirtualRegister lo = _f.NewRegister(ValueKind.I64);
            Emit(new BinaryInstruction(BinaryOp.LShr, lo, acc, Operand.Of(17)));
            Emit(new BinaryInstruction(BinaryOp.Xor, lo, lo, acc));
            Emit(new ExtendInstruction(r, lo, 32, signed: false)); // (int)long
            _block.Terminator = new ReturnTerminator(r);
        }
        else _block.Terminator = new ReturnTerminator(acc);
    }
}
