using System.Reflection.Metadata;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

// Arithmetic with C#'s meaning: 32-bit operations stay 32-bit, division checks what C# would throw on.
internal sealed partial class MethodTranslator
{
    /// <summary>The IL result width of a binary operation: 64-bit if either side is, pointers win over integers.</summary>
    static ValueKind ResultKind(StackValue a, StackValue b)
    {
        ValueKind ka = KindOfStack(a), kb = KindOfStack(b);
        if (ka == ValueKind.Ptr || kb == ValueKind.Ptr) return ValueKind.Ptr;
        return ka == ValueKind.I64 || kb == ValueKind.I64 ? ValueKind.I64 : ValueKind.I32;
    }

    static ValueKind KindOfStack(StackValue v) => v switch
    {
        ComparisonValue => ValueKind.I32,
        AddressValue or MapValue or StructValue or FunctionValue => ValueKind.Ptr,
        RegisterValue r => r.Register.Kind,
        _ => v.Type is EnumType e ? e.Underlying.RegisterKind ?? ValueKind.I32 : v.Type.RegisterKind ?? ValueKind.I64,
    };

    TypeModel TypeOfKind(ValueKind kind, StackValue a, StackValue b) =>
        kind == ValueKind.Ptr ? (KindOfStack(a) == ValueKind.Ptr ? a.Type : b.Type) : kind == ValueKind.I64 ? (IsUnsigned(a.Type) ? a.Type : Int64) : (IsUnsigned(a.Type) ? a.Type : Int32);

    void Binary(BinaryOp op)
    {
        StackValue b = Pop(), a = Pop();
        ValueKind kind = ResultKind(a, b);
        // address + constant stays an address, so loads through it fold the offset (the verifier needs ctx->field, not ctx+n)
        if (op is BinaryOp.Add or BinaryOp.Sub && kind == ValueKind.Ptr && b is ConstantValue c && a is AddressValue or RegisterValue { Register.Kind: ValueKind.Ptr })
        {
            long delta = op == BinaryOp.Add ? c.Value : -c.Value;
            if (delta is > -16384 and < 16384)
            {
                Address baseAddress = AddressOf(a);
                Push(new AddressValue(baseAddress.WithOffset((int)delta), a.Type));
                return;
            }
        }
        if (a is ConstantValue ca && b is ConstantValue cb && kind != ValueKind.Ptr && Fold(op, ca.Value, cb.Value, kind) is { } folded)
        {
            Push(new ConstantValue(folded, TypeOfKind(kind, a, b)));
            return;
        }
        ValueKind regKind = kind;
        Operand left = ToOperand(a, regKind), right = ToOperand(b, regKind);
        VirtualRegister d = _fb.NewRegister(regKind);
        _fb.Emit(new BinaryInstruction(op, d, left, right));
        Push(new RegisterValue(d, TypeOfKind(kind, a, b)));
    }

    static long? Fold(BinaryOp op, long x, long y, ValueKind kind)
    {
        bool is32 = kind == ValueKind.I32;
        if (is32) { x = (int)x; y = (int)y; }
        long r;
        switch (op)
        {
            case BinaryOp.Add: r = x + y; break;
            case BinaryOp.Sub: r = x - y; break;
            case BinaryOp.Mul: r = x * y; break;
            case BinaryOp.And: r = x & y; break;
            case BinaryOp.Or: r = x | y; break;
            case BinaryOp.Xor: r = x ^ y; break;
            default: return null;
        }
        return is32 ? (int)r : r;
    }

    void Shift(BinaryOp op)
    {
        StackValue count = Pop(), value = Pop();
        ValueKind kind = KindOfStack(value) == ValueKind.I32 ? ValueKind.I32 : ValueKind.I64;
        int width = kind == ValueKind.I32 ? 32 : 64;
        // C# masks the count (Roslyn emits the `& 31`/`& 63` for variable counts); IL leaves counts ≥ width
        // undefined and so does eBPF, so constants are masked here the way C# defines them.
        Operand c = count is ConstantValue k ? Operand.Of(k.Value & (width - 1)) : ToOperand(count, kind);
        if (count is not ConstantValue)
        {
            VirtualRegister masked = _fb.NewRegister(kind);
            _fb.Emit(new BinaryInstruction(BinaryOp.And, masked, c, Operand.Of(width - 1)));
            c = masked;
        }
        VirtualRegister d = _fb.NewRegister(kind);
        _fb.Emit(new BinaryInstruction(op, d, ToOperand(value, kind), c));
        Push(new RegisterValue(d, value.Type));
    }

    void Unary(UnaryOp op)
    {
        StackValue v = Pop();
        ValueKind kind = KindOfStack(v) == ValueKind.I32 ? ValueKind.I32 : ValueKind.I64;
        if (v is ConstantValue c)
        {
            long r = op == UnaryOp.Neg ? -c.Value : ~c.Value;
            Push(new ConstantValue(kind == ValueKind.I32 ? (int)r : r, c.Type));
            return;
        }
        VirtualRegister d = _fb.NewRegister(kind);
        _fb.Emit(new UnaryInstruction(op, d, ToOperand(v, kind)));
        Push(new RegisterValue(d, v.Type));
    }

    /// <summary>Signed and unsigned division and remainder, ending the program where C# throws.</summary>
    void Division(BinaryOp op)
    {
        StackValue b = Pop(), a = Pop();
        ValueKind kind = ResultKind(a, b) == ValueKind.I32 ? ValueKind.I32 : ValueKind.I64;
        bool is32 = kind == ValueKind.I32;
        Operand left = ToOperand(a, kind), right = ToOperand(b, kind);
        bool signed = op is BinaryOp.SDiv or BinaryOp.SMod;
        long divisor = right.IsConstant ? (is32 ? (int)right.Constant : right.Constant) : 0;
        if (!right.IsConstant || divisor == 0)
            AbortIf(Condition.Equal, right, Operand.Of(0), is32, "DivideByZeroException");
        if (signed && (!right.IsConstant || divisor == -1))
        {
            // MinValue / -1 overflows (C# throws OverflowException; for %, too, on .NET).
            long min = is32 ? int.MinValue : long.MinValue;
            BasicBlock check = _fb.Function.NewBlock(), ok = _fb.Function.NewBlock(), abort = _fb.Function.NewBlock();
            if (!right.IsConstant) _fb.Terminate(new BranchTerminator(Condition.Equal, right, Operand.Of(-1), is32, check, ok));
            else _fb.Terminate(new JumpTerminator(check));
            _fb.Current = check;
            Operand minOperand = is32 || min is >= int.MinValue and <= int.MaxValue ? Operand.Of(min) : LoadConstant(min);
            _fb.Terminate(new BranchTerminator(Condition.Equal, left, minOperand, is32, abort, ok));
            _fb.Current = abort;
            _fb.Terminate(new AbortTerminator("OverflowException"));
            _fb.Current = ok;
        }
        VirtualRegister d = _fb.NewRegister(kind);
        _fb.Emit(new BinaryInstruction(op, d, left, right));
        Push(new RegisterValue(d, TypeOfKind(kind, a, b)));
    }

    Operand LoadConstant(long value)
    {
        VirtualRegister r = _fb.NewRegister(ValueKind.I64);
        _fb.Emit(new MoveInstruction(r, Operand.Of(value)));
        return r;
    }

    void AbortIf(Condition condition, Operand left, Operand right, bool is32, string reason)
    {
        BasicBlock abort = _fb.Function.NewBlock(), ok = _fb.Function.NewBlock();
        _fb.Terminate(new BranchTerminator(condition, left, right, is32, abort, ok));
        _fb.Current = abort;
        _fb.Terminate(new AbortTerminator(reason));
        _fb.Current = ok;
    }

    /// <summary>conv.*: truncation and sign/zero extension to <paramref name="bits"/>, the result on IL's int32 or int64 stack type.</summary>
    void Convert(int bits, bool signed)
    {
        StackValue v = Pop();
        TypeModel resultType = bits switch
        {
            8 => _module.Types.Primitive(signed ? PrimitiveKind.SByte : PrimitiveKind.Byte),
            16 => _module.Types.Primitive(signed ? PrimitiveKind.Int16 : PrimitiveKind.UInt16),
            32 => _module.Types.Primitive(signed ? PrimitiveKind.Int32 : PrimitiveKind.UInt32),
            _ => _module.Types.Primitive(signed ? PrimitiveKind.Int64 : PrimitiveKind.UInt64),
        };
        ValueKind from = KindOfStack(v);
        if (v is ConstantValue c)
        {
            long x = from == ValueKind.I32 ? (IsUnsigned(c.Type) ? (uint)c.Value : (int)c.Value) : c.Value;
            long r = bits switch
            {
                8 => signed ? (sbyte)x : (byte)x,
                16 => signed ? (short)x : (ushort)x,
                32 => signed ? (int)x : (uint)x,
                _ => from == ValueKind.I32 ? (signed ? (int)c.Value : (uint)c.Value) : x,
            };
            Push(new ConstantValue(r, resultType));
            return;
        }
        if (bits == 64)
        {
            if (from != ValueKind.I32) { Push(v is RegisterValue ? v with { Type = KeepPointer(v.Type, resultType) } : v); return; }
            VirtualRegister src = ((RegisterValue)Materialize(v)).Register;
            // A zero-extending load already has its upper half clear: reuse it as 64-bit. This keeps
            // `(byte*)ctx->data` a plain 32-bit context load, which the verifier turns into a packet pointer.
            if (!signed && ReplaceLastLoadWith64(src) is { } widened) { Push(new RegisterValue(widened, resultType)); return; }
            VirtualRegister d = _fb.NewRegister(ValueKind.I64);
            _fb.Emit(new ExtendInstruction(d, src, 32, signed && !IsUnsigned(v.Type)));
            Push(new RegisterValue(d, resultType));
            return;
        }
        if (from == ValueKind.Ptr) throw Error(DiagnosticCatalog.PointerTruncated, Where);
        VirtualRegister value = ((RegisterValue)Materialize(v)).Register;
        VirtualRegister t = _fb.NewRegister(ValueKind.I32);
        _fb.Emit(new ExtendInstruction(t, value, bits, signed));
        Push(new RegisterValue(t, resultType));
    }

    static TypeModel KeepPointer(TypeModel original, TypeModel converted) => original.RegisterKind == ValueKind.Ptr ? original : converted;

    VirtualRegister? ReplaceLastLoadWith64(VirtualRegister register)
    {
        List<IrInstruction> list = _fb.Current.Instructions;
        if (list.Count == 0 || list[^1] is not LoadInstruction { SignExtend: false } load || load.Destination != register) return null;
        VirtualRegister wide = _fb.NewRegister(ValueKind.I64);
        list[^1] = new LoadInstruction(wide, load.Address, load.Size) { Source = load.Source };
        return wide;
    }

    void Compare(Condition condition)
    {
        StackValue b = Pop(), a = Pop();
        ValueKind kind = ResultKind(a, b) == ValueKind.I32 ? ValueKind.I32 : ValueKind.I64;
        Push(new ComparisonValue(condition, ToOperand(a, kind), ToOperand(b, kind), kind == ValueKind.I32, Bool));
    }

    void BranchCompare(Condition condition, IlInstruction i)
    {
        StackValue b = Pop(), a = Pop();
        ValueKind kind = ResultKind(a, b) == ValueKind.I32 ? ValueKind.I32 : ValueKind.I64;
        Operand left = ToOperand(a, kind), right = ToOperand(b, kind);
        EmitBranch(condition, left, right, kind == ValueKind.I32, i);
    }

    void BranchOnValue(StackValue v, bool whenTrue, IlInstruction i)
    {
        if (v is ComparisonValue c)
        {
            EmitBranch(whenTrue ? c.Condition : Negate(c.Condition), c.Left, c.Right, c.Is32, i, negatedBitsSet: !whenTrue && c.Condition == Condition.BitsSet);
            return;
        }
        ValueKind kind = KindOfStack(v) == ValueKind.I32 ? ValueKind.I32 : ValueKind.I64;
        EmitBranch(whenTrue ? Condition.NotEqual : Condition.Equal, ToOperand(v, kind), Operand.Of(0), kind == ValueKind.I32, i);
    }

    void EmitBranch(Condition condition, Operand left, Operand right, bool is32, IlInstruction i, bool negatedBitsSet = false)
    {
        BasicBlock taken = BranchTarget(i.Target), fallthrough = BranchTarget(i.Next);
        if (negatedBitsSet)
            _fb.Terminate(new BranchTerminator(Condition.BitsSet, left, right, is32, fallthrough, taken));
        else
            _fb.Terminate(new BranchTerminator(condition, left, right, is32, taken, fallthrough));
    }

    static Condition Negate(Condition c) => c switch
    {
        Condition.Equal => Condition.NotEqual, Condition.NotEqual => Condition.Equal,
        Condition.UnsignedGreater => Condition.UnsignedLessOrEqual, Condition.UnsignedLessOrEqual => Condition.UnsignedGreater,
        Condition.UnsignedGreaterOrEqual => Condition.UnsignedLess, Condition.UnsignedLess => Condition.UnsignedGreaterOrEqual,
        Condition.SignedGreater => Condition.SignedLessOrEqual, Condition.SignedLessOrEqual => Condition.SignedGreater,
        Condition.SignedGreaterOrEqual => Condition.SignedLess, Condition.SignedLess => Condition.SignedGreaterOrEqual,
        _ => Condition.BitsSet, // handled by swapping targets
    };

    void Switch(IlInstruction i)
    {
        StackValue v = Pop();
        Operand value = ToOperand(v, ValueKind.I32);
        int[] targets = i.Targets!;
        for (int k = 0; k < targets.Length; k++)
        {
            BasicBlock next = _fb.Function.NewBlock();
            _fb.Terminate(new BranchTerminator(Condition.Equal, value, Operand.Of(k), true, BranchTarget(targets[k]), next));
            _fb.Current = next;
        }
        _fb.Terminate(new JumpTerminator(BranchTarget(i.Next)));
    }

    void Return()
    {
        StackValue? value = _method.Signature.ReturnType is PrimitiveType { Kind: PrimitiveKind.Void } ? null : Pop();
        if (_continuation is null)
        {
            _fb.Terminate(new ReturnTerminator(value is null ? (Operand?)null : ToOperand(value, _fb.Function.ReturnKind ?? ValueKind.I64)));
            return;
        }
        if (value is StructValue sv)
        {
            _resultSlot ??= _fb.Function.NewStackSlot(sv.StructType.Size, sv.StructType.Alignment, "result");
            StoreTo(Address.At(_resultSlot), sv.StructType, sv);
        }
        else if (value is not null)
        {
            ValueKind kind = value is ComparisonValue ? ValueKind.I32 : KindOf(_method.Signature.ReturnType is EnumType e ? e.Underlying : _method.Signature.ReturnType, "the return value");
            _resultRegister ??= _fb.NewRegister(kind, "ret");
            _fb.Emit(new MoveInstruction(_resultRegister, ToOperand(value, kind)));
        }
        _fb.Terminate(new JumpTerminator(_continuation));
    }

    void CheckedArithmetic(ILOpCode op)
    {
        StackValue b = Pop(), a = Pop();
        ValueKind kind = ResultKind(a, b);
        bool unsigned = op is ILOpCode.Add_ovf_un or ILOpCode.Sub_ovf_un or ILOpCode.Mul_ovf_un;
        BinaryOp bop = op is ILOpCode.Add_ovf or ILOpCode.Add_ovf_un ? BinaryOp.Add : op is ILOpCode.Sub_ovf or ILOpCode.Sub_ovf_un ? BinaryOp.Sub : BinaryOp.Mul;
        if (kind != ValueKind.I32)
        {
            if (bop == BinaryOp.Mul)
            {
                Push(new RegisterValue(CheckedMultiply64(a, b, unsigned), TypeOfKind(kind, a, b)));
                return;
            }
            Operand l = ToOperand(a, ValueKind.I64), r = ToOperand(b, ValueKind.I64);
            VirtualRegister d = _fb.NewRegister(ValueKind.I64);
            _fb.Emit(new BinaryInstruction(bop, d, l, r));
            if (unsigned)
                // add wrapped when the sum is below an operand; sub borrowed when the subtrahend exceeds the minuend
                AbortIf(Condition.UnsignedLess, bop == BinaryOp.Add ? d : l, bop == BinaryOp.Add ? l : r, false, "OverflowException");
            else
            {
                // add: overflow when both operands have the sign the result lacks: ((l ^ d) & (r ^ d)) < 0; sub: ((l ^ r) & (l ^ d)) < 0
                VirtualRegister x = _fb.NewRegister(ValueKind.I64), y = _fb.NewRegister(ValueKind.I64), z = _fb.NewRegister(ValueKind.I64);
                _fb.Emit(new BinaryInstruction(BinaryOp.Xor, x, l, d));
                _fb.Emit(new BinaryInstruction(BinaryOp.Xor, y, bop == BinaryOp.Add ? r : l, bop == BinaryOp.Add ? d : r));
                _fb.Emit(new BinaryInstruction(BinaryOp.And, z, x, y));
                AbortIf(Condition.SignedLess, z, Operand.Of(0), false, "OverflowException");
            }
            Push(new RegisterValue(d, TypeOfKind(kind, a, b)));
            return;
        }
        // 32-bit: compute exactly in 64 bits and check the range.
        VirtualRegister wl = Widen(a, !unsigned), wr = Widen(b, !unsigned);
        VirtualRegister wide = _fb.NewRegister(ValueKind.I64);
        _fb.Emit(new BinaryInstruction(bop, wide, wl, wr));
        if (unsigned)
            AbortIf(Condition.UnsignedGreater, wide, LoadConstant(uint.MaxValue), false, "OverflowException");
        else
        {
            AbortIf(Condition.SignedGreater, wide, Operand.Of(int.MaxValue), false, "OverflowException");
            AbortIf(Condition.SignedLess, wide, Operand.Of(int.MinValue), false, "OverflowException");
        }
        VirtualRegister result = _fb.NewRegister(ValueKind.I32);
        _fb.Emit(new ExtendInstruction(result, wide, 32, false));
        Push(new RegisterValue(result, TypeOfKind(kind, a, b)));
    }

    /// <summary>
    /// Checked 64-bit multiplication without a 128-bit product: the wrapped product p overflowed exactly when
    /// l != 0 and p / l != r — except signed -1 * MinValue, whose quotient MinValue / -1 wraps back to r.
    /// </summary>
    VirtualRegister CheckedMultiply64(StackValue a, StackValue b, bool unsigned)
    {
        VirtualRegister l = Widen64(a, true, false), r = Widen64(b, true, false);
        VirtualRegister product = _fb.NewRegister(ValueKind.I64);
        _fb.Emit(new BinaryInstruction(BinaryOp.Mul, product, l, r));
        BasicBlock test = _fb.Function.NewBlock(), divide = _fb.Function.NewBlock(), done = _fb.Function.NewBlock();
        _fb.Terminate(new BranchTerminator(Condition.Equal, l, Operand.Of(0), false, done, test));
        _fb.Current = test;
        if (unsigned) _fb.Terminate(new JumpTerminator(divide));
        else
        {
            BasicBlock minusOne = _fb.Function.NewBlock();
            _fb.Terminate(new BranchTerminator(Condition.Equal, l, Operand.Of(-1), false, minusOne, divide));
            _fb.Current = minusOne;
            AbortIf(Condition.Equal, r, LoadConstant(long.MinValue), false, "OverflowException");
            _fb.Terminate(new JumpTerminator(done));
        }
        _fb.Current = divide;
        VirtualRegister quotient = _fb.NewRegister(ValueKind.I64);
        _fb.Emit(new BinaryInstruction(unsigned ? BinaryOp.UDiv : BinaryOp.SDiv, quotient, product, l));
        AbortIf(Condition.NotEqual, quotient, r, false, "OverflowException");
        _fb.Terminate(new JumpTerminator(done));
        _fb.Current = done;
        return product;
    }

    VirtualRegister Widen(StackValue v, bool signed)
    {
        if (v is ConstantValue c)
        {
            VirtualRegister k = _fb.NewRegister(ValueKind.I64);
            _fb.Emit(new MoveInstruction(k, Operand.Of(signed ? (int)c.Value : (uint)c.Value)));
            return k;
        }
        VirtualRegister d = _fb.NewRegister(ValueKind.I64);
        _fb.Emit(new ExtendInstruction(d, ToOperand(v, ValueKind.I32), 32, signed));
        return d;
    }

    void CheckedConvert(ILOpCode op)
    {
        StackValue v = Pop();
        bool sourceUnsigned = op is >= ILOpCode.Conv_ovf_i1_un and <= ILOpCode.Conv_ovf_u_un;
        (long min, ulong max, int bits, bool signed) = op switch
        {
            ILOpCode.Conv_ovf_i1 or ILOpCode.Conv_ovf_i1_un => (sbyte.MinValue, (ulong)sbyte.MaxValue, 8, true),
            ILOpCode.Conv_ovf_u1 or ILOpCode.Conv_ovf_u1_un => (0L, (ulong)byte.MaxValue, 8, false),
            ILOpCode.Conv_ovf_i2 or ILOpCode.Conv_ovf_i2_un => (short.MinValue, (ulong)short.MaxValue, 16, true),
            ILOpCode.Conv_ovf_u2 or ILOpCode.Conv_ovf_u2_un => (0L, (ulong)ushort.MaxValue, 16, false),
            ILOpCode.Conv_ovf_i4 or ILOpCode.Conv_ovf_i4_un => (int.MinValue, (ulong)int.MaxValue, 32, true),
            ILOpCode.Conv_ovf_u4 or ILOpCode.Conv_ovf_u4_un => (0L, (ulong)uint.MaxValue, 32, false),
            ILOpCode.Conv_ovf_i8 or ILOpCode.Conv_ovf_i8_un or ILOpCode.Conv_ovf_i or ILOpCode.Conv_ovf_i_un => (long.MinValue, (ulong)long.MaxValue, 64, true),
            _ => (0L, ulong.MaxValue, 64, false),
        };
        bool from32 = KindOfStack(v) == ValueKind.I32;
        bool fromSigned = !sourceUnsigned;
        VirtualRegister wide = Widen64(v, fromSigned, from32);
        if (fromSigned)
        {
            if (min > long.MinValue) AbortIf(Condition.SignedLess, wide, Operand.Of(min), false, "OverflowException");
            if (max < long.MaxValue) AbortIf(Condition.SignedGreater, wide, max <= int.MaxValue ? Operand.Of((long)max) : LoadConstant((long)max), false, "OverflowException");
        }
        else if (max < ulong.MaxValue)
            AbortIf(Condition.UnsignedGreater, wide, max <= int.MaxValue ? Operand.Of((long)max) : LoadConstant((long)max), false, "OverflowException");
        _stack.Add(new RegisterValue(wide, Int64));
        Convert(bits, signed);
    }

    VirtualRegister Widen64(StackValue v, bool signed, bool from32)
    {
        if (!from32) { VirtualRegister c = _fb.NewRegister(ValueKind.I64); _fb.Emit(new MoveInstruction(c, ToOperand(v, ValueKind.I64))); return c; }
        return Widen(v, signed);
    }
}
