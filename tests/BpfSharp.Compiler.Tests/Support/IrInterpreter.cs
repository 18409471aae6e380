using System.Buffers.Binary;
using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Tests.Support;

/// <summary>How an interpreted function ended: a returned value (normalised to its kind), an abort, or a fault.</summary>
public sealed record IrOutcome(long? Value, bool Aborted = false, string? Fault = null)
{
    public override string ToString() => Fault is not null ? "fault: " + Fault : Aborted ? "aborted" : Value?.ToString() ?? "void";
}

/// <summary>
/// Executes an <see cref="IrFunction"/> with eBPF's semantics, independently of the compiler's own folding code,
/// so tests can compare a function before and after a pass. Memory is a set of byte arrays (one per stack slot,
/// plus any the test adds); a pointer is a region number in its high bits plus an offset. The upper half of every
/// I32 result is filled with garbage, as the IR leaves it unspecified: a pass that starts reading it changes results.
/// </summary>
public sealed class IrInterpreter(IrFunction function)
{
    const int RegionShift = 40;
    readonly List<byte[]> _extraRegions = [];

    /// <summary>Handles calls (helpers, functions, kfuncs); without it a call is a fault.</summary>
    public Func<CallInstruction, long[], long>? OnCall { get; init; }

    /// <summary>Instructions and terminators executed before the run is cut off as a fault.</summary>
    public int StepLimit { get; init; } = 1_000_000;

    /// <summary>Adds memory the function can reach through a pointer argument; returns that pointer.</summary>
    public long AddRegion(byte[] bytes)
    {
        _extraRegions.Add(bytes);
        return (long)_extraRegions.Count << RegionShift;
    }

    public IrOutcome Run(params long[] arguments)
    {
        try { return Execute(arguments); }
        catch (FaultException e) { return new IrOutcome(null, Fault: e.Message); }
    }

    sealed class FaultException(string message) : Exception(message);

    // Regions: extra regions are 1..n, stack slots follow.
    List<byte[]> _regions = [];
    Dictionary<StackSlot, int> _slotRegion = [];
    long[] _registers = [];
    bool[] _defined = [];
    long _steps;

    IrOutcome Execute(long[] arguments)
    {
        if (arguments.Length != function.Parameters.Count)
            throw new ArgumentException($"{function.Name} takes {function.Parameters.Count} arguments, got {arguments.Length}");
        _regions = [.. _extraRegions];
        _slotRegion = [];
        foreach (StackSlot slot in function.StackSlots)
        {
            var bytes = new byte[slot.Size];
            if (!slot.ZeroInitialize) Array.Fill(bytes, (byte)0xA5);
            _regions.Add(bytes);
            _slotRegion[slot] = _regions.Count;
        }
        int capacity = function.RegisterCount + 1;
        foreach (VirtualRegister p in function.Parameters) capacity = Math.Max(capacity, p.Id + 1);
        foreach (BasicBlock b in function.Blocks)
            foreach (IrInstruction i in b.Instructions)
                if (i.Destination is { } d) capacity = Math.Max(capacity, d.Id + 1);
        _registers = new long[capacity];
        _defined = new bool[capacity];
        _steps = 0;
        for (int k = 0; k < arguments.Length; k++) Write(function.Parameters[k], arguments[k]);

        BasicBlock block = function.Blocks.Count > 0 ? function.Blocks[0] : throw new FaultException("no blocks");
        while (true)
        {
            foreach (IrInstruction i in block.Instructions) { Tick(); Step(i); }
            Tick();
            switch (block.Terminator)
            {
                case JumpTerminator j: block = j.Target; break;
                case BranchTerminator br:
                    block = Compare(br.Condition, Value(br.Left), Value(br.Right), br.Is32) ? br.WhenTrue : br.WhenFalse;
                    break;
                case ReturnTerminator ret:
                    if (ret.Value is not { } v) return new IrOutcome(null);
                    long raw = Value(v);
                    return new IrOutcome(function.ReturnKind == ValueKind.I32 ? (int)raw : raw);
                case AbortTerminator: return new IrOutcome(null, Aborted: true);
                default: throw new FaultException($"{block.Label} is not terminated");
            }
        }
    }

    void Tick()
    {
        if (++_steps > StepLimit) throw new FaultException("step limit reached");
    }

    long Value(Operand o)
    {
        if (o.Register is not { } r) return o.Constant;
        if (r.Id >= _defined.Length || !_defined[r.Id]) throw new FaultException($"read of undefined {r}");
        return _registers[r.Id];
    }

    void Write(VirtualRegister r, long value)
    {
        if (r.Is32)
        {
            long garbage = (long)(uint)(_steps * 0x9E3779B1 + r.Id) | 1;
            value = (long)(uint)value | garbage << 32;
        }
        _registers[r.Id] = value;
        _defined[r.Id] = true;
    }

    void Step(IrInstruction instruction)
    {
        switch (instruction)
        {
            case MoveInstruction m: Write(m.Destination, Value(m.Value)); break;
            case BinaryInstruction b: Write(b.Destination, Binary(b.Op, Value(b.Left), Value(b.Right), b.Is32)); break;
            case UnaryInstruction u: Write(u.Destination, Unary(u.Op, Value(u.Value))); break;
            case ExtendInstruction e: Write(e.Destination, Extend(Value(e.Value), e.FromBits, e.Signed)); break;
            case LoadInstruction l:
            {
                long v = Load(Pointer(l.Address), l.Size);
                if (l.SignExtend) v = Extend(v, l.Size.Bits(), signed: true);
                Write(l.Destination, v);
                break;
            }
            case StoreInstruction s: Store(Pointer(s.Address), s.Size, Value(s.Value)); break;
            case StackAddressInstruction sa: Write(sa.Destination, SlotPointer(sa.Slot) + sa.Offset); break;
            case AtomicInstruction a:
            {
                long at = Pointer(a.Address), old = Load(at, a.Size), v = Value(a.Value);
                long updated = a.Op switch
                {
                    AtomicOp.Add or AtomicOp.FetchAdd => old + v,
                    AtomicOp.Or or AtomicOp.FetchOr => old | v,
                    AtomicOp.And or AtomicOp.FetchAnd => old & v,
                    AtomicOp.Xor or AtomicOp.FetchXor => old ^ v,
                    AtomicOp.Exchange => v,
                    _ => throw new FaultException($"atomic {a.Op} not modelled"),
                };
                Store(at, a.Size, updated);
                if (a.Destination is { } d) Write(d, old);
                break;
            }
            case CompareExchangeInstruction c:
            {
                long at = Pointer(c.Address), old = Load(at, c.Size);
                long mask = c.Size == MemorySize.DoubleWord ? -1L : (1L << c.Size.Bits()) - 1;
                if ((old & mask) == (Value(c.Expected) & mask)) Store(at, c.Size, Value(c.Value));
                Write(c.Destination, old);
                break;
            }
            case CallInstruction call:
            {
                if (OnCall is null) throw new FaultException($"call {call.Target} has no handler");
                long result = OnCall(call, [.. call.Arguments.Select(Value)]);
                if (call.Destination is { } d) Write(d, result);
                break;
            }
            default: throw new FaultException($"'{instruction}' is not supported by the interpreter");
        }
    }

    static long Binary(BinaryOp op, long a, long b, bool is32)
    {
        if (is32)
        {
            uint x = (uint)a, y = (uint)b;
            int sx = (int)x, sy = (int)y;
            return op switch
            {
                BinaryOp.Add => x + y,
                BinaryOp.Sub => x - y,
                BinaryOp.Mul => x * y,
                BinaryOp.UDiv => y == 0 ? 0 : x / y,
                BinaryOp.UMod => y == 0 ? x : x % y,
                BinaryOp.SDiv => y == 0 ? 0 : sx == int.MinValue && sy == -1 ? (uint)sx : (uint)(sx / sy),
                BinaryOp.SMod => y == 0 ? x : sy == -1 ? 0 : (uint)(sx % sy),
                BinaryOp.And => x & y,
                BinaryOp.Or => x | y,
                BinaryOp.Xor => x ^ y,
                BinaryOp.Shl => x << (int)(y & 31),
                BinaryOp.LShr => x >> (int)(y & 31),
                BinaryOp.AShr => (uint)(sx >> (int)(y & 31)),
                _ => throw new FaultException($"binary {op}"),
            };
        }
        ulong ua = (ulong)a, ub = (ulong)b;
        return op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            BinaryOp.UDiv => ub == 0 ? 0 : (long)(ua / ub),
            BinaryOp.UMod => ub == 0 ? a : (long)(ua % ub),
            BinaryOp.SDiv => b == 0 ? 0 : a == long.MinValue && b == -1 ? a : a / b,
            BinaryOp.SMod => b == 0 ? a : b == -1 ? 0 : a % b,
            BinaryOp.And => a & b,
            BinaryOp.Or => a | b,
            BinaryOp.Xor => a ^ b,
            BinaryOp.Shl => a << (int)(b & 63),
            BinaryOp.LShr => (long)(ua >> (int)(b & 63)),
            BinaryOp.AShr => a >> (int)(b & 63),
            _ => throw new FaultException($"binary {op}"),
        };
    }

    static long Unary(UnaryOp op, long a) => op switch
    {
        UnaryOp.Neg => -a,
        UnaryOp.Not => ~a,
        UnaryOp.ByteSwap16 => BinaryPrimitives.ReverseEndianness((ushort)a),
        UnaryOp.ByteSwap32 => BinaryPrimitives.ReverseEndianness((uint)a),
        UnaryOp.ByteSwap64 => (long)BinaryPrimitives.ReverseEndianness((ulong)a),
        _ => throw new FaultException($"unary {op}"),
    };

    static long Extend(long a, int fromBits, bool signed)
    {
        int shift = 64 - fromBits;
        return signed ? (a << shift) >> shift : (long)((ulong)a << shift >> shift);
    }

    static bool Compare(Condition c, long a, long b, bool is32)
    {
        if (is32) { a = (int)a; b = (int)b; }
        ulong ua = is32 ? (uint)a : (ulong)a, ub = is32 ? (uint)b : (ulong)b;
        return c switch
        {
            Condition.Equal => ua == ub,
            Condition.NotEqual => ua != ub,
            Condition.UnsignedGreater => ua > ub,
            Condition.UnsignedGreaterOrEqual => ua >= ub,
            Condition.UnsignedLess => ua < ub,
            Condition.UnsignedLessOrEqual => ua <= ub,
            Condition.SignedGreater => a > b,
            Condition.SignedGreaterOrEqual => a >= b,
            Condition.SignedLess => a < b,
            Condition.SignedLessOrEqual => a <= b,
            Condition.BitsSet => (ua & ub) != 0,
            _ => throw new FaultException($"condition {c}"),
        };
    }

    long SlotPointer(StackSlot slot) =>
        _slotRegion.TryGetValue(slot, out int region) ? (long)region << RegionShift : throw new FaultException($"{slot} is not in the frame");

    long Pointer(Address address) =>
        (address.Pointer is { } p ? Value(p) : SlotPointer(address.Slot!)) + address.Offset;

    Span<byte> Bytes(long pointer, MemorySize size)
    {
        long region = (pointer >> RegionShift) - 1, offset = pointer & ((1L << RegionShift) - 1);
        int n = size.Bits() / 8;
        if (region < 0 || region >= _regions.Count || offset + n > _regions[(int)region].Length)
            throw new FaultException($"{n}-byte access at 0x{pointer:x} is outside memory");
        return _regions[(int)region].AsSpan((int)offset, n);
    }

    long Load(long pointer, MemorySize size)
    {
        Span<byte> b = Bytes(pointer, size);
        return size switch
        {
            MemorySize.Byte => b[0],
            MemorySize.Half => BinaryPrimitives.ReadUInt16LittleEndian(b),
            MemorySize.Word => BinaryPrimitives.ReadUInt32LittleEndian(b),
            _ => BinaryPrimitives.ReadInt64LittleEndian(b),
        };
    }

    void Store(long pointer, MemorySize size, long value)
    {
        Span<byte> b = Bytes(pointer, size);
        switch (size)
        {
            case MemorySize.Byte: b[0] = (byte)value; break;
            case MemorySize.Half: BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value); break;
            case MemorySize.Word: BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(b, value); break;
        }
    }
}

static class MemorySizeBits
{
    public static int Bits(this MemorySize size) => size switch
    {
        MemorySize.Byte => 8, MemorySize.Half => 16, MemorySize.Word => 32, _ => 64,
    };
}
