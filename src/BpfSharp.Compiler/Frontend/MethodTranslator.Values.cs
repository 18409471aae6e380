using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Types;

namespace BpfSharp.Compiler.Frontend;

// Turning symbolic stack values into operands, registers and addresses.
internal sealed partial class MethodTranslator
{
    /// <summary>The value as an operand of <paramref name="kind"/>; 32-bit values used as 64-bit are sign-extended (IL's int32 → native int).</summary>
    Operand ToOperand(StackValue value, ValueKind kind)
    {
        switch (value)
        {
            case ConstantValue c:
                return Operand.Of(kind == ValueKind.I32 ? (int)c.Value : c.Type.RegisterKind == ValueKind.I32 ? (int)c.Value : c.Value);
            case RegisterValue r when r.Register.Kind == kind || (kind != ValueKind.I32 && r.Register.Kind != ValueKind.I32):
                return r.Register;
            case RegisterValue r when kind == ValueKind.I32:
            {
                VirtualRegister d = _fb.NewRegister(ValueKind.I32);
                _fb.Emit(new ExtendInstruction(d, r.Register, 32, false));
                return d;
            }
            case RegisterValue r:
            {
                // an int32 used where IL allows native int (pointer + index) is widened as a number, never a pointer
                VirtualRegister d = _fb.NewRegister(kind == ValueKind.Ptr ? ValueKind.I64 : kind);
                bool signed = r.Type is PrimitiveType p ? p.IsSigned || p.Kind == PrimitiveKind.Int32 : true;
                _fb.Emit(new ExtendInstruction(d, r.Register, 32, signed && !IsUnsigned(r.Type)));
                return d;
            }
            default:
            {
                VirtualRegister reg = Materialize(value) is RegisterValue m ? m.Register : throw new InvalidOperationException();
                return ToOperand(new RegisterValue(reg, value.Type), kind);
            }
        }
    }

    static bool IsUnsigned(TypeModel t) => t is PrimitiveType { Kind: PrimitiveKind.Byte or PrimitiveKind.UInt16 or PrimitiveKind.UInt32 or PrimitiveKind.Char or PrimitiveKind.Bool or PrimitiveKind.UInt64 or PrimitiveKind.UIntPtr }
        || t is EnumType { Underlying: var u } && IsUnsigned(u);

    /// <summary>The value in a register (constants stay constants).</summary>
    StackValue Materialize(StackValue value)
    {
        switch (value)
        {
            case RegisterValue or ConstantValue: return value;
            case AddressValue { Address: var a } av:
            {
                VirtualRegister d = _fb.NewRegister(ValueKind.Ptr);
                if (a.Slot is { } slot) _fb.Emit(new StackAddressInstruction(d, slot, a.Offset));
                else if (a.Offset == 0) return new RegisterValue(a.Pointer!, av.Type);
                else _fb.Emit(new BinaryInstruction(BinaryOp.Add, d, a.Pointer!, Operand.Of(a.Offset)));
                return new RegisterValue(d, av.Type);
            }
            case StructValue sv:
                return Materialize(new AddressValue(sv.Source, _module.Types.ByRefTo(sv.StructType)));
            case MapValue m:
            {
                VirtualRegister d = _fb.NewRegister(ValueKind.Ptr, m.MapName);
                _fb.Emit(new SymbolAddressInstruction(d, SymbolKind.Map, m.MapName));
                return new RegisterValue(d, m.Type);
            }
            case FunctionValue f:
            {
                VirtualRegister d = _fb.NewRegister(ValueKind.Ptr);
                _fb.Emit(new SymbolAddressInstruction(d, SymbolKind.Function, _module.Subprogram(f.Method)));
                return new RegisterValue(d, f.Type);
            }
            case ComparisonValue c:
            {
                // r = 1; if (cond) goto done; r = 0; done:
                VirtualRegister d = _fb.NewRegister(ValueKind.I32);
                _fb.Emit(new MoveInstruction(d, Operand.Of(1)));
                BasicBlock zero = _fb.Function.NewBlock(), done = _fb.Function.NewBlock();
                _fb.Terminate(new BranchTerminator(c.Condition, c.Left, c.Right, c.Is32, done, zero));
                _fb.Current = zero;
                _fb.Emit(new MoveInstruction(d, Operand.Of(0)));
                _fb.ContinueIn(done);
                return new RegisterValue(d, Bool);
            }
            case StringValue:
                throw Error(DiagnosticCatalog.StringUse, Where, "a string literal outside Helpers.TracePrintk's format");
            case ExceptionValue e:
                throw Error(DiagnosticCatalog.Allocation, Where, $"new {e.ExceptionType} used other than by `throw`");
            default:
                throw new InvalidOperationException(value.ToString());
        }
    }

    /// <summary>The address a pointer, ref or address value designates.</summary>
    Address AddressOf(StackValue value) => value switch
    {
        AddressValue a => a.Address,
        StructValue s => s.Source,
        RegisterValue r => Address.At(r.Register),
        ConstantValue { Value: 0 } => throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, "a dereference of null"),
        _ => Address.At(((RegisterValue)Materialize(value)).Register),
    };

    static MemorySize SizeOf(int bytes) => bytes switch
    {
        1 => MemorySize.Byte, 2 => MemorySize.Half, 4 => MemorySize.Word, _ => MemorySize.DoubleWord,
    };

    /// <summary>Reads a value of <paramref name="type"/> at <paramref name="address"/>; structs stay in memory until stored.</summary>
    StackValue LoadFrom(Address address, TypeModel type)
    {
        if (type is StructType s)
        {
            // The source may change before the value is used (`var copy = x; x.A = 1;` is stored at once, but
            // arguments are not): take a private copy unless the value goes straight into a store.
            return new StructValue(address, s);
        }
        TypeModel scalar = type is EnumType e ? e.Underlying : type;
        if (scalar is PrimitiveType { IsFloatingPoint: true })
            throw Error(DiagnosticCatalog.FloatingPoint, Where, $"a value of type {type.DisplayName}");
        ValueKind kind = KindOf(scalar, "a loaded value");
        bool signed = scalar is PrimitiveType { Kind: PrimitiveKind.SByte or PrimitiveKind.Int16 };
        VirtualRegister d = _fb.NewRegister(kind);
        _fb.Emit(new LoadInstruction(d, address, SizeOf(scalar.Size), signed));
        return new RegisterValue(d, type);
    }

    void StoreTo(Address address, TypeModel type, StackValue value)
    {
        if (type is StructType s)
        {
            switch (value)
            {
                case StructValue src: CopyMemory(address, src.Source, s.Size, s.Alignment); return;
                case ConstantValue { Value: 0 }: ZeroFill(address, s.Size); return;
                default: throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, $"a store of {value.Type.DisplayName} into {type.DisplayName}");
            }
        }
        TypeModel scalar = type is EnumType e ? e.Underlying : type;
        int size = scalar is PrimitiveType { Kind: PrimitiveKind.Void } ? 8 : scalar.Size;
        ValueKind kind = size == 8 ? (value.Type.RegisterKind == ValueKind.Ptr ? ValueKind.Ptr : ValueKind.I64) : ValueKind.I32;
        if (value is StructValue) throw Error(DiagnosticCatalog.UnsupportedInstruction, Where, $"a store of a struct into {type.DisplayName}");
        _fb.Emit(new StoreInstruction(address, ToOperand(value, kind), SizeOf(size)));
    }

    void CopyMemory(Address destination, Address source, int size, int alignment)
    {
        int offset = 0;
        while (offset < size)
        {
            int chunk = Chunk(size - offset, alignment, offset);
            VirtualRegister t = _fb.NewRegister(chunk == 8 ? ValueKind.I64 : ValueKind.I32);
            _fb.Emit(new LoadInstruction(t, source.WithOffset(offset), SizeOf(chunk)));
            _fb.Emit(new StoreInstruction(destination.WithOffset(offset), t, SizeOf(chunk)));
            offset += chunk;
        }
    }

    void ZeroFill(Address destination, int size)
    {
        int offset = 0;
        while (offset < size)
        {
            int chunk = Chunk(size - offset, destination.Slot is not null ? 8 : 1, offset);
            _fb.Emit(new StoreInstruction(destination.WithOffset(offset), Operand.Of(0), SizeOf(chunk)));
            offset += chunk;
        }
    }

    // The widest access (8/4/2/1) that fits the remaining bytes and keeps the offset aligned to it.
    static int Chunk(int remaining, int alignment, int offset)
    {
        foreach (int width in new[] { 8, 4, 2, 1 })
            if (width <= remaining && width <= Math.Max(1, alignment) && offset % width == 0) return width;
        return 1;
    }
}
