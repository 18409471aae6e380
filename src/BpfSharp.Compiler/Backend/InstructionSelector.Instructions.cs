using BpfSharp.Asm;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Backend;

internal sealed partial class InstructionSelector
{
    void Select(IrInstruction instruction)
    {
        switch (instruction)
        {
            case MoveInstruction m: SelectMove(m); break;
            case BinaryInstruction b: SelectBinary(b); break;
            case UnaryInstruction u: SelectUnary(u); break;
            case ExtendInstruction e: SelectExtend(e); break;
            case LoadInstruction l: SelectLoad(l); break;
            case StoreInstruction s: SelectStore(s); break;
            case StackAddressInstruction a: SelectStackAddress(a); break;
            case SymbolAddressInstruction s: SelectSymbolAddress(s); break;
            case CallInstruction c: SelectCall(c); break;
            case AtomicInstruction a: SelectAtomic(a); break;
            case CompareExchangeInstruction x: SelectCompareExchange(x); break;
            default: throw new ArgumentException($"The backend does not know IR instruction '{instruction}' ({instruction.GetType().Name}).");
        }
    }

    void SelectMove(MoveInstruction move)
    {
        if (move.Value.Register is { } r) Copy(Id(move.Destination), Id(r));
        else LoadConstant(Id(move.Destination), move.Value.Constant, move.Destination.Kind);
    }

    static bool IsCommutative(BinaryOp op) => op is BinaryOp.Add or BinaryOp.Mul or BinaryOp.And or BinaryOp.Or or BinaryOp.Xor;

    static (AluOp Op, bool Signed) AluFor(BinaryOp op) => op switch
    {
        BinaryOp.Add => (AluOp.Add, false), BinaryOp.Sub => (AluOp.Sub, false), BinaryOp.Mul => (AluOp.Mul, false),
        BinaryOp.UDiv => (AluOp.Div, false), BinaryOp.SDiv => (AluOp.Div, true),
        BinaryOp.UMod => (AluOp.Mod, false), BinaryOp.SMod => (AluOp.Mod, true),
        BinaryOp.And => (AluOp.And, false), BinaryOp.Or => (AluOp.Or, false), BinaryOp.Xor => (AluOp.Xor, false),
        BinaryOp.Shl => (AluOp.Lsh, false), BinaryOp.LShr => (AluOp.Rsh, false), BinaryOp.AShr => (AluOp.Arsh, false),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    void SelectBinary(BinaryInstruction binary)
    {
        bool is32 = binary.Is32;
        int dst = Id(binary.Destination);
        Operand left = binary.Left, right = binary.Right;
        ValueKind kind = binary.Destination.Kind;

        if (right.IsConstant && binary.Op is BinaryOp.UDiv or BinaryOp.SDiv or BinaryOp.UMod or BinaryOp.SMod
            && (is32 ? (int)right.Constant == 0 : right.Constant == 0))
        {
            // eBPF: x / 0 = 0 and x % 0 = x, but the verifier refuses a constant zero divisor.
            if (binary.Op is BinaryOp.UDiv or BinaryOp.SDiv) LoadConstant(dst, 0, kind);
            else if (left.Register is not { } l) LoadConstant(dst, left.Constant, kind);
            else if (is32) Mov32(dst, Id(l));
            else Copy(dst, Id(l));
            return;
        }
        if (left.IsConstant && right.Register is not null && IsCommutative(binary.Op)) (left, right) = (right, left);
        if (right.IsConstant && binary.Op is BinaryOp.Shl or BinaryOp.LShr or BinaryOp.AShr)
            right = Operand.Of(right.Constant & (is32 ? 31 : 63));

        (AluOp op, bool signed) = AluFor(binary.Op);
        if (IsCommutative(binary.Op) && left.Register is { } l0 && right.IsConstant && !is32 && !right.FitsImmediate)
        {
            // The materialised constant's register takes the result: t = K; t op= left; dst = t (coalesced).
            int t = Temporary(kind);
            LoadConstant(t, right.Constant, kind);
            Emit(Instruction.Alu(op, Register.R0, Register.R0), t, Id(l0), [t], [t, Id(l0)]);
            Copy(dst, t);
            return;
        }
        int? immediate = right.IsConstant && (is32 || right.FitsImmediate) ? unchecked((int)right.Constant) : null;
        int rightRegister = immediate is null ? InRegister(right, is32 ? ValueKind.I32 : ValueKind.I64) : MachineRegister.None;

        // Two-address form: the destination must not be the right operand, or the first copy would clobber it.
        bool clobbersRight = rightRegister == dst && !(left.Register is { } lr && Id(lr) == dst);
        int target = clobbersRight ? Temporary(kind) : dst;
        if (left.Register is { } leftRegister) Copy(target, Id(leftRegister));
        else LoadConstant(target, left.Constant, kind);

        Instruction template = immediate is { } imm
            ? (signed, is32) switch
            {
                (true, true) => op == AluOp.Div ? Instruction.SignedDiv32(Register.R0, imm) : Instruction.SignedMod32(Register.R0, imm),
                (true, false) => op == AluOp.Div ? Instruction.SignedDiv(Register.R0, imm) : Instruction.SignedMod(Register.R0, imm),
                (false, true) => Instruction.Alu32(op, Register.R0, imm),
                _ => Instruction.Alu(op, Register.R0, imm),
            }
            : (signed, is32) switch
            {
                (true, true) => op == AluOp.Div ? Instruction.SignedDiv32(Register.R0, Register.R0) : Instruction.SignedMod32(Register.R0, Register.R0),
                (true, false) => op == AluOp.Div ? Instruction.SignedDiv(Register.R0, Register.R0) : Instruction.SignedMod(Register.R0, Register.R0),
                (false, true) => Instruction.Alu32(op, Register.R0, Register.R0),
                _ => Instruction.Alu(op, Register.R0, Register.R0),
            };
        if (immediate is null) Emit(template, target, rightRegister, [target], [target, rightRegister]);
        else Emit(template, target, MachineRegister.None, [target], [target]);
        if (target != dst) Copy(dst, target);
    }

    void SelectUnary(UnaryInstruction unary)
    {
        int dst = Id(unary.Destination);
        bool is32 = unary.Destination.Is32;
        if (unary.Value.Register is { } r) Copy(dst, Id(r));
        else LoadConstant(dst, unary.Value.Constant, unary.Destination.Kind);
        Instruction template = unary.Op switch
        {
            UnaryOp.Neg => is32 ? Instruction.Neg32(Register.R0) : Instruction.Neg(Register.R0),
            UnaryOp.Not => is32 ? Instruction.Alu32(AluOp.Xor, Register.R0, -1) : Instruction.Alu(AluOp.Xor, Register.R0, -1),
            UnaryOp.ByteSwap16 => Instruction.ByteSwap(Register.R0, 16),
            UnaryOp.ByteSwap32 => Instruction.ByteSwap(Register.R0, 32),
            _ => Instruction.ByteSwap(Register.R0, 64),
        };
        Emit(template, dst, MachineRegister.None, [dst], [dst]);
    }

    void SelectExtend(ExtendInstruction extend)
    {
        int dst = Id(extend.Destination);
        bool to32 = extend.Destination.Is32;
        int bits = extend.FromBits;
        if (bits is not (8 or 16 or 32))
            throw new ArgumentException($"'{extend}': extensions are from 8, 16 or 32 bits.");
        if (extend.Value.Register is not { } value)
        {
            long c = extend.Value.Constant;
            long extended = (bits, extend.Signed) switch
            {
                (8, true) => (sbyte)c, (16, true) => (short)c, (32, true) => (int)c,
                (8, false) => (byte)c, (16, false) => (ushort)c, _ => (uint)c,
            };
            LoadConstant(dst, extended, extend.Destination.Kind);
            return;
        }
        int src = Id(value);
        if (bits == 32 && to32) { Copy(dst, src); return; }
        if (extend.Signed)
        {
            Emit(to32 ? Instruction.MovSignExtend32(Register.R0, Register.R0, bits) : Instruction.MovSignExtend(Register.R0, Register.R0, bits),
                dst, src, [dst], [src]);
            return;
        }
        if (bits == 32)
        {
            if (value.Kind == ValueKind.Ptr)
                throw Error(DiagnosticCatalog.PointerTruncated, _source, _function.Name);
            if (value.Is32 && _zeroExtended[value.Id]) Copy(dst, src);
            else Mov32(dst, src);
            return;
        }
        Copy(dst, src);
        Emit(Instruction.Alu32(AluOp.And, Register.R0, bits == 8 ? 0xff : 0xffff), dst, MachineRegister.None, [dst], [dst]);
    }

    /// <summary>The base register, 16-bit offset and frame slot of an address.</summary>
    (int Base, short Offset, StackSlot? Slot) Lower(Address address)
    {
        if (address.Slot is { } slot)
            return (MachineRegister.FramePointer, checked((short)Math.Clamp(address.Offset, short.MinValue, short.MaxValue)), slot);
        if (address.Offset is < short.MinValue or > short.MaxValue)
            throw Error(DiagnosticCatalog.OffsetOutOfRange, _source, _function.Name, address.Offset);
        return (Id(address.Pointer!), (short)address.Offset, null);
    }

    void SelectLoad(LoadInstruction load)
    {
        var (b, offset, slot) = Lower(load.Address);
        int dst = Id(load.Destination);
        Instruction template = load.SignExtend && load.Size != MemorySize.DoubleWord
            ? Instruction.LoadSignExtend(load.Size, Register.R0, Register.R0, offset)
            : Instruction.Load(load.Size, Register.R0, Register.R0, offset);
        Emit(template, dst, b, [dst], [b], slot: slot, field: slot is null ? SlotField.None : SlotField.Offset);
    }

    void SelectStore(StoreInstruction store)
    {
        var (b, offset, slot) = Lower(store.Address);
        SlotField field = slot is null ? SlotField.None : SlotField.Offset;
        // Store-immediate only into the stack: the verifier refuses BPF_ST into the context.
        if (store.Value.IsConstant && slot is not null && (store.Size != MemorySize.DoubleWord || store.Value.FitsImmediate))
        {
            Emit(Instruction.StoreImmediate(store.Size, Register.R0, offset, unchecked((int)store.Value.Constant)),
                b, MachineRegister.None, [], [b], sideEffects: true, slot: slot, field: field);
            return;
        }
        int value = InRegister(store.Value, store.Size == MemorySize.DoubleWord ? ValueKind.I64 : ValueKind.I32);
        Emit(Instruction.Store(store.Size, Register.R0, offset, Register.R0), b, value, [], [b, value], sideEffects: true, slot: slot, field: field);
    }

    void SelectStackAddress(StackAddressInstruction address)
    {
        int dst = Id(address.Destination);
        Copy(dst, MachineRegister.FramePointer);
        Emit(Instruction.Alu(AluOp.Add, Register.R0, address.Offset), dst, MachineRegister.None, [dst], [dst],
            slot: address.Slot, field: SlotField.Immediate);
    }

    void SelectSymbolAddress(SymbolAddressInstruction symbol)
    {
        int dst = Id(symbol.Destination);
        Instruction template = symbol.Kind switch
        {
            SymbolKind.Map => Instruction.LoadMapFd(Register.R0, 0),
            SymbolKind.Global => Instruction.LoadMapValue(Register.R0, 0, symbol.Offset),
            _ => Instruction.LoadFunction(Register.R0, 0),
        };
        Emit(template.WithReference(symbol.Symbol), dst, MachineRegister.None, [dst], []);
    }

    void SelectCall(CallInstruction call)
    {
        if (call.Arguments.Length > 5)
            throw Error(DiagnosticCatalog.TooManyArguments, _source, call.Target.ToString(), call.Arguments.Length);
        // Registers first, constants last: each argument register is then live for the shortest time.
        for (int i = 0; i < call.Arguments.Length; i++)
            if (call.Arguments[i].Register is { } r) Copy(i + 1, Id(r));
        for (int i = 0; i < call.Arguments.Length; i++)
            if (call.Arguments[i].IsConstant) LoadConstant(i + 1, call.Arguments[i].Constant, ValueKind.I64);
        EmitCall(call.Target switch
        {
            HelperTarget h => Instruction.Call(h.HelperId),
            FunctionTarget f => Instruction.CallSubprogram(0).WithReference(f.FunctionName),
            KfuncTarget k => Instruction.CallKfuncByName(k.Name),
            _ => throw new ArgumentException($"Unknown call target '{call.Target}'."),
        }, call.Arguments.Length);
        if (call.Destination is { } d) Copy(Id(d), 0);
    }

    void EmitCall(Instruction template, int argumentCount) =>
        Emit(template, MachineRegister.None, MachineRegister.None, MachineRegister.CallClobbered,
            [.. Enumerable.Range(1, argumentCount)], sideEffects: true);

    static bool Fetches(AtomicOp op) => op is AtomicOp.FetchAdd or AtomicOp.FetchOr or AtomicOp.FetchAnd or AtomicOp.FetchXor or AtomicOp.Exchange;

    void SelectAtomic(AtomicInstruction atomic)
    {
        var (b, offset, slot) = Lower(atomic.Address);
        SlotField field = slot is null ? SlotField.None : SlotField.Offset;
        ValueKind kind = atomic.Size == MemorySize.DoubleWord ? ValueKind.I64 : ValueKind.I32;
        if (atomic.Op is AtomicOp.CompareExchange or AtomicOp.LoadAcquire or AtomicOp.StoreRelease)
            throw new ArgumentException($"'{atomic}': use CompareExchangeInstruction for cmpxchg; acquire/release are not IR atomics.");
        Instruction template = Instruction.Atomic(atomic.Op, atomic.Size, Register.R0, offset, Register.R0);
        if (!Fetches(atomic.Op))
        {
            int value = InRegister(atomic.Value, kind);
            Emit(template, b, value, [], [b, value], sideEffects: true, slot: slot, field: field);
            if (atomic.Destination is { } d) LoadConstant(Id(d), 0, d.Kind); // no old value without fetch
            return;
        }
        // The fetch forms return the old value in the source register.
        int t = Temporary(kind);
        if (atomic.Value.Register is { } r) Copy(t, Id(r));
        else LoadConstant(t, atomic.Value.Constant, kind);
        Emit(template, b, t, [t], [b, t], sideEffects: true, slot: slot, field: field);
        if (atomic.Destination is { } dst) Copy(Id(dst), t);
    }

    void SelectCompareExchange(CompareExchangeInstruction exchange)
    {
        var (b, offset, slot) = Lower(exchange.Address);
        ValueKind kind = exchange.Size == MemorySize.DoubleWord ? ValueKind.I64 : ValueKind.I32;
        int value = InRegister(exchange.Value, kind);
        if (exchange.Expected.Register is { } e) Copy(0, Id(e));
        else LoadConstant(0, exchange.Expected.Constant, ValueKind.I64);
        Emit(Instruction.Atomic(AtomicOp.CompareExchange, exchange.Size, Register.R0, offset, Register.R0), b, value, [0], [b, value, 0],
            sideEffects: true, slot: slot, field: slot is null ? SlotField.None : SlotField.Offset);
        Copy(Id(exchange.Destination), 0);
    }
}
