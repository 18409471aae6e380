using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Metadata;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

// BCL methods with an eBPF meaning: Unsafe (pointers and refs), Interlocked (atomics), byte order, Math.
internal sealed partial class MethodTranslator
{
    readonly record struct IntrinsicResult(StackValue? Value);

    IntrinsicResult? TryIntrinsic(MethodReference m, StackValue[] args, bool resultUnused)
    {
        switch (m.DeclaringTypeFullName)
        {
            case "System.Runtime.CompilerServices.Unsafe": return UnsafeIntrinsic(m, args);
            case "System.Threading.Interlocked": return InterlockedIntrinsic(m, args, resultUnused);
            case "System.Buffers.Binary.BinaryPrimitives" when m.Name == "ReverseEndianness":
            case "System.Net.IPAddress" when m.Name is "NetworkToHostOrder" or "HostToNetworkOrder":
                return new(ByteSwap(args[0], m.Signature.ReturnType));
            case "System.Math" when m.Name is "Min" or "Max" && args.Length == 2:
                return new(MinMax(m.Name == "Min", args[0], args[1], m.Signature.ReturnType));
            case "System.Runtime.CompilerServices.RuntimeHelpers" when m.Name == "IsReferenceOrContainsReferences":
                return new(new ConstantValue(0, Bool));
            case "System.Runtime.InteropServices.MemoryMarshal" when m.Name is "CreateSpan" or "CreateReadOnlySpan" && args.Length == 2:
                return new(NewSpan((StructType)(m.Signature.ReturnType), args[0], args[1]));
            case "System.Span" or "System.ReadOnlySpan":
                return SpanIntrinsic(m, args);
            case "System.Object" when m.Name == ".ctor":
                return new(null);
            default: return null;
        }
    }

    IntrinsicResult? UnsafeIntrinsic(MethodReference m, StackValue[] args)
    {
        TypeModel T(int i) => i < m.MethodArguments.Length ? m.MethodArguments[i] : _module.Types.Primitive(PrimitiveKind.Byte);
        switch (m.Name)
        {
            case "AsPointer" or "AsRef" or "As" when args.Length == 1:
                return new(Retype(args[0], m.Signature.ReturnType));
            case "NullRef":
                return new(new ConstantValue(0, m.Signature.ReturnType));
            case "IsNullRef":
                return new(new ComparisonValue(Condition.Equal, ToOperand(args[0], ValueKind.Ptr), Operand.Of(0), false, Bool));
            case "AreSame":
                return new(new ComparisonValue(Condition.Equal, ToOperand(args[0], ValueKind.Ptr), ToOperand(args[1], ValueKind.Ptr), false, Bool));
            case "SizeOf":
                return new(new ConstantValue(T(0).Size, Int32));
            case "Add" or "Subtract" when args.Length == 2:
            {
                int scale = m.Signature.ParameterTypes.Length == 2 && m.Signature.ParameterTypes[0] is PointerType { Element: PrimitiveType { Kind: PrimitiveKind.Void } } ? T(0).Size : T(0).Size;
                return new(OffsetPointer(args[0], args[1], scale, m.Name == "Subtract", m.Signature.ReturnType));
            }
            case "AddByteOffset" or "SubtractByteOffset":
                return new(OffsetPointer(args[0], args[1], 1, m.Name == "SubtractByteOffset", m.Signature.ReturnType));
            case "Read" or "ReadUnaligned" when args.Length == 1:
                return new(LoadFrom(AddressOf(args[0]), T(0)));
            case "Write" or "WriteUnaligned" when args.Length == 2:
                StoreTo(AddressOf(args[0]), T(0), args[1]);
                return new(null);
            case "Copy" when args.Length == 2:
                StoreTo(AddressOf(args[0]), T(0), LoadFrom(AddressOf(args[1]), T(0)));
                return new(null);
            case "InitBlock" or "InitBlockUnaligned":
                Push(args[0]); Push(args[1]); Push(args[2]); InitBlock();
                return new(null);
            case "CopyBlock" or "CopyBlockUnaligned":
                Push(args[0]); Push(args[1]); Push(args[2]); CopyBlock();
                return new(null);
            case "SkipInit":
                return new(null);
            default:
                throw Error(DiagnosticCatalog.UnsupportedCall, Where, m.DisplayName);
        }
    }

    static StackValue Retype(StackValue value, TypeModel type) => value switch
    {
        RegisterValue r => r with { Type = type },
        AddressValue a => a with { Type = type },
        ConstantValue c => c with { Type = type },
        StructValue s when type is ByRefType or PointerType => new AddressValue(s.Source, type),
        _ => value,
    };

    StackValue OffsetPointer(StackValue pointer, StackValue index, int scale, bool subtract, TypeModel type)
    {
        if (index is ConstantValue c)
        {
            long delta = (KindOfStack(index) == ValueKind.I32 ? (int)c.Value : c.Value) * scale * (subtract ? -1 : 1);
            if (delta is > -16384 and < 16384) return new AddressValue(AddressOf(pointer).WithOffset((int)delta), type);
        }
        Operand i = ToOperand(index, ValueKind.I64);
        VirtualRegister scaled = _fb.NewRegister(ValueKind.I64);
        _fb.Emit(new BinaryInstruction(BinaryOp.Mul, scaled, i, Operand.Of(scale)));
        VirtualRegister d = _fb.NewRegister(ValueKind.Ptr);
        _fb.Emit(new BinaryInstruction(subtract ? BinaryOp.Sub : BinaryOp.Add, d, ToOperand(pointer, ValueKind.Ptr), scaled));
        return new RegisterValue(d, type);
    }

    StackValue NewSpan(StructType span, StackValue reference, StackValue length)
    {
        StackSlot slot = _fb.Function.NewStackSlot(16, 8, "span");
        slot.ZeroInitialize = false;
        StoreSpan(Address.At(slot), reference, length);
        return new StructValue(Address.At(slot), span);
    }

    // The length goes in as 8 bytes (its 4 padding bytes zero) and is read back as 8: the verifier tracks a spilled
    // constant only through full-width stack slots, and it needs the exact length to accept the bounds-checked index.
    void StoreSpan(Address at, StackValue reference, StackValue length)
    {
        _fb.Emit(new StoreInstruction(at, ToOperand(reference, ValueKind.Ptr), MemorySize.DoubleWord));
        Operand length32 = ToOperand(length, ValueKind.I32);
        _fb.Emit(new StoreInstruction(at.WithOffset(8), length32.IsConstant ? Operand.Of((uint)length32.Constant) : ZeroExtended(length32), MemorySize.DoubleWord));
    }

    Operand SpanLength(Address span)
    {
        VirtualRegister wide = _fb.NewRegister(ValueKind.I64), length = _fb.NewRegister(ValueKind.I32);
        _fb.Emit(new LoadInstruction(wide, span.WithOffset(8), MemorySize.DoubleWord));
        _fb.Emit(new ExtendInstruction(length, wide, 32, false));
        return length;
    }

    // Span members over the (ref, length) pair; indexing checks the bounds as C# does (IndexOutOfRangeException ends the program).
    IntrinsicResult? SpanIntrinsic(MethodReference m, StackValue[] args)
    {
        TypeModel element = m.DeclaringType is StructType { TypeArguments: [var e] } ? e : _module.Types.Primitive(PrimitiveKind.Byte);
        switch (m.Name)
        {
            case ".ctor" when args.Length == 3:
                StoreSpan(AddressOf(args[0]), args[1], args[2]);
                return new(null);
            case "get_Length":
                return new(new RegisterValue(SpanLength(AddressOf(args[0])).Register!, Int32));
            case "get_IsEmpty":
            {
                Operand length = SpanLength(AddressOf(args[0]));
                return new(new ComparisonValue(Condition.Equal, length, Operand.Of(0), true, Bool));
            }
            case "get_Item" when args.Length == 2:
            {
                Address span = AddressOf(args[0]);
                Operand length = SpanLength(span);
                Operand index = ToOperand(args[1], ValueKind.I32);
                AbortIf(Condition.UnsignedGreaterOrEqual, index, length, true, "IndexOutOfRangeException");
                StackValue reference = LoadFrom(span, _module.Types.ByRefTo(element));
                return new(OffsetPointer(reference, new RegisterValue(ZeroExtended(index), Int32), element.Size, false, _module.Types.ByRefTo(element)));
            }
            default:
                throw Error(DiagnosticCatalog.UnsupportedCall, Where, m.DisplayName);
        }
    }

    VirtualRegister ZeroExtended(Operand index)
    {
        VirtualRegister wide = _fb.NewRegister(ValueKind.I64);
        if (index.IsConstant) _fb.Emit(new MoveInstruction(wide, Operand.Of((uint)index.Constant)));
        else _fb.Emit(new ExtendInstruction(wide, index, 32, false));
        return wide;
    }

    IntrinsicResult? InterlockedIntrinsic(MethodReference m, StackValue[] args, bool resultUnused)
    {
        TypeModel target = m.Signature.ParameterTypes[0] is ByRefType { Element: var e } ? e : Int32;
        TypeModel scalar = target is EnumType en ? en.Underlying : target;
        if (scalar.Size is not (4 or 8))
            throw Error(DiagnosticCatalog.UnsupportedCall, Where, $"{m.DisplayName} on a {scalar.Size}-byte value (eBPF atomics work on 4 and 8 bytes)");
        MemorySize size = scalar.Size == 8 ? MemorySize.DoubleWord : MemorySize.Word;
        ValueKind kind = scalar.Size == 8 ? ValueKind.I64 : ValueKind.I32;
        Address address = AddressOf(args[0]);
        SpillLazyStructs();
        switch (m.Name)
        {
            case "Add" or "Increment" or "Decrement":
            {
                Operand delta = m.Name switch
                {
                    "Increment" => Operand.Of(1),
                    "Decrement" => Operand.Of(-1),
                    _ => ToOperand(args[1], kind),
                };
                // Interlocked returns the new value: old + delta. The fetch form is needed only when it is used;
                // the optimiser drops the add when the result is dead but cannot drop the fetch, so a plain add is
                // chosen here when the call's value is discarded right away (pop).
                if (resultUnused)
                {
                    _fb.Emit(new AtomicInstruction(AtomicOp.Add, null, address, delta, size));
                    return new(new ConstantValue(0, target));
                }
                VirtualRegister old = _fb.NewRegister(kind);
                _fb.Emit(new AtomicInstruction(AtomicOp.FetchAdd, old, address, delta, size));
                VirtualRegister result = _fb.NewRegister(kind);
                _fb.Emit(new BinaryInstruction(BinaryOp.Add, result, old, delta));
                return new(new RegisterValue(result, target));
            }
            case "And" or "Or":
            {
                VirtualRegister old = _fb.NewRegister(kind);
                _fb.Emit(new AtomicInstruction(m.Name == "And" ? AtomicOp.FetchAnd : AtomicOp.FetchOr, old, address, ToOperand(args[1], kind), size));
                return new(new RegisterValue(old, target));
            }
            case "Exchange":
            {
                VirtualRegister old = _fb.NewRegister(kind);
                _fb.Emit(new AtomicInstruction(AtomicOp.Exchange, old, address, ToOperand(args[1], kind), size));
                return new(new RegisterValue(old, target));
            }
            case "CompareExchange":
            {
                VirtualRegister old = _fb.NewRegister(kind);
                _fb.Emit(new CompareExchangeInstruction(old, address, ToOperand(args[2], kind), ToOperand(args[1], kind), size));
                return new(new RegisterValue(old, target));
            }
            case "Read" when args.Length == 1:
                return new(LoadFrom(address, target));
            default:
                throw Error(DiagnosticCatalog.UnsupportedCall, Where, m.DisplayName);
        }
    }

    StackValue ByteSwap(StackValue value, TypeModel type)
    {
        int size = (type is EnumType e ? e.Underlying : type).Size;
        if (size == 1) return value;
        ValueKind kind = size == 8 ? ValueKind.I64 : ValueKind.I32;
        UnaryOp op = size switch { 2 => UnaryOp.ByteSwap16, 4 => UnaryOp.ByteSwap32, _ => UnaryOp.ByteSwap64 };
        VirtualRegister d = _fb.NewRegister(kind);
        _fb.Emit(new UnaryInstruction(op, d, ToOperand(value, kind)));
        if (size == 2 && type is PrimitiveType { Kind: PrimitiveKind.Int16 })
        {
            VirtualRegister s = _fb.NewRegister(ValueKind.I32);
            _fb.Emit(new ExtendInstruction(s, d, 16, true));
            return new RegisterValue(s, type);
        }
        return new RegisterValue(d, type);
    }

    StackValue MinMax(bool min, StackValue a, StackValue b, TypeModel type)
    {
        TypeModel scalar = type is EnumType e ? e.Underlying : type;
        ValueKind kind = scalar.RegisterKind ?? throw Error(DiagnosticCatalog.FloatingPoint, Where, "Math.Min/Max on " + type.DisplayName);
        bool signed = scalar is PrimitiveType { IsSigned: true };
        Operand x = ToOperand(a, kind), y = ToOperand(b, kind);
        VirtualRegister d = _fb.NewRegister(kind);
        _fb.Emit(new MoveInstruction(d, x));
        BasicBlock take = _fb.Function.NewBlock(), done = _fb.Function.NewBlock();
        Condition keep = (min, signed) switch
        {
            (true, true) => Condition.SignedLessOrEqual, (true, false) => Condition.UnsignedLessOrEqual,
            (false, true) => Condition.SignedGreaterOrEqual, _ => Condition.UnsignedGreaterOrEqual,
        };
        _fb.Terminate(new BranchTerminator(keep, x, y, kind == ValueKind.I32, done, take));
        _fb.Current = take;
        _fb.Emit(new MoveInstruction(d, y));
        _fb.ContinueIn(done);
        return new RegisterValue(d, type);
    }
}
