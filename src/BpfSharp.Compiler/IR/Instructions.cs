using BpfSharp.Asm;

namespace BpfSharp.Compiler.IR;

/// <summary>
/// One IR instruction. Instructions are mutable so passes can rewrite operands in place; each keeps the C#
/// source location it came from, which the backend copies onto every eBPF instruction it emits for it.
/// </summary>
public abstract class IrInstruction
{
    /// <summary>Where in C# the instruction comes from, or null.</summary>
    public SourceLocation? Source { get; set; }

    /// <summary>The register this instruction defines, or null.</summary>
    public abstract VirtualRegister? Destination { get; }

    /// <summary>Every operand read (constants included); registers inside addresses are reported as operands too.</summary>
    public abstract IEnumerable<Operand> Uses { get; }

    /// <summary>Replaces every read of a register by <paramref name="map"/>(register) (address pointers only by registers).</summary>
    public abstract void RewriteUses(Func<VirtualRegister, Operand> map);

    /// <summary>True when the instruction has an effect besides defining its destination (memory, calls).</summary>
    public virtual bool HasSideEffects => false;

    public abstract override string ToString();

    private protected static Address Rewrite(Address a, Func<VirtualRegister, Operand> map)
    {
        if (a.Pointer is null) return a;
        Operand o = map(a.Pointer);
        return o.Register is { } r ? Address.At(r, a.Offset) : a; // a constant cannot replace a pointer base
    }

    private protected static Operand Rewrite(Operand o, Func<VirtualRegister, Operand> map) =>
        o.Register is { } r ? map(r) : o;

    private protected static IEnumerable<Operand> AddressUses(Address a) =>
        a.Pointer is { } p ? [Operand.Of(p)] : [];
}

/// <summary>
/// <c>dst = src</c>. Between I64 and Ptr the move reinterprets the bits (pointer casts); from I32 to a 64-bit
/// register use <see cref="ExtendInstruction"/> instead, since the upper half of an I32 is unspecified.
/// </summary>
public sealed class MoveInstruction(VirtualRegister destination, Operand value) : IrInstruction
{
    public override VirtualRegister Destination { get; } = destination;
    public Operand Value { get; set; } = value;
    public override IEnumerable<Operand> Uses => [Value];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) => Value = Rewrite(Value, map);
    public override string ToString() => $"{Destination} = {Value}";
}

/// <summary>Binary operators with eBPF's meaning (division by zero gives 0, modulo by zero the dividend; the frontend adds C#'s checks).</summary>
public enum BinaryOp { Add, Sub, Mul, UDiv, SDiv, UMod, SMod, And, Or, Xor, Shl, LShr, AShr }

/// <summary><c>dst = left op right</c>, 32-bit when the destination is <see cref="ValueKind.I32"/>, else 64-bit.</summary>
public sealed class BinaryInstruction(BinaryOp op, VirtualRegister destination, Operand left, Operand right) : IrInstruction
{
    public BinaryOp Op { get; set; } = op;
    public override VirtualRegister Destination { get; } = destination;
    public Operand Left { get; set; } = left;
    public Operand Right { get; set; } = right;
    public bool Is32 => Destination.Is32;
    public override IEnumerable<Operand> Uses => [Left, Right];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { Left = Rewrite(Left, map); Right = Rewrite(Right, map); }
    public override string ToString() => $"{Destination} = {Op.ToString().ToLowerInvariant()}{(Is32 ? "32" : "")} {Left}, {Right}";
}

public enum UnaryOp { Neg, Not, ByteSwap16, ByteSwap32, ByteSwap64 }

/// <summary><c>dst = op value</c>, 32-bit when the destination is I32.</summary>
public sealed class UnaryInstruction(UnaryOp op, VirtualRegister destination, Operand value) : IrInstruction
{
    public UnaryOp Op { get; } = op;
    public override VirtualRegister Destination { get; } = destination;
    public Operand Value { get; set; } = value;
    public override IEnumerable<Operand> Uses => [Value];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) => Value = Rewrite(Value, map);
    public override string ToString() => $"{Destination} = {Op.ToString().ToLowerInvariant()} {Value}";
}

/// <summary>
/// <c>dst = extend(low FromBits of value)</c>, sign- or zero-extended to the destination's width (32 or 64).
/// Also truncation: FromBits 8/16 into an I32 destination keeps the low bits, extended.
/// </summary>
public sealed class ExtendInstruction(VirtualRegister destination, Operand value, int fromBits, bool signed) : IrInstruction
{
    public override VirtualRegister Destination { get; } = destination;
    public Operand Value { get; set; } = value;
    /// <summary>8, 16 or 32.</summary>
    public int FromBits { get; } = fromBits;
    public bool Signed { get; } = signed;
    public override IEnumerable<Operand> Uses => [Value];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) => Value = Rewrite(Value, map);
    public override string ToString() => $"{Destination} = {(Signed ? "sext" : "zext")}{FromBits} {Value}";
}

/// <summary><c>dst = *(size*)address</c>, zero-extended, or sign-extended when <see cref="SignExtend"/> (eBPF v4 ldsx).</summary>
public sealed class LoadInstruction(VirtualRegister destination, Address address, MemorySize size, bool signExtend = false) : IrInstruction
{
    public override VirtualRegister Destination { get; } = destination;
    public Address Address { get; set; } = address;
    public MemorySize Size { get; } = size;
    public bool SignExtend { get; } = signExtend;
    public override IEnumerable<Operand> Uses => AddressUses(Address);
    public override void RewriteUses(Func<VirtualRegister, Operand> map) => Address = Rewrite(Address, map);
    public override string ToString() => $"{Destination} = load{(SignExtend ? "s" : "")}.{Size.ToIrName()} {Address}";
}

/// <summary><c>*(size*)address = value</c>.</summary>
public sealed class StoreInstruction(Address address, Operand value, MemorySize size) : IrInstruction
{
    public override VirtualRegister? Destination => null;
    public Address Address { get; set; } = address;
    public Operand Value { get; set; } = value;
    public MemorySize Size { get; } = size;
    public override bool HasSideEffects => true;
    public override IEnumerable<Operand> Uses => [.. AddressUses(Address), Value];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { Address = Rewrite(Address, map); Value = Rewrite(Value, map); }
    public override string ToString() => $"store.{Size.ToIrName()} {Address}, {Value}";
}

/// <summary><c>dst = &amp;slot + offset</c>: a pointer into the stack frame.</summary>
public sealed class StackAddressInstruction(VirtualRegister destination, StackSlot slot, int offset = 0) : IrInstruction
{
    public override VirtualRegister Destination { get; } = destination;
    public StackSlot Slot { get; } = slot;
    public int Offset { get; } = offset;
    public override IEnumerable<Operand> Uses => [];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { }
    public override string ToString() => $"{Destination} = &{Slot}{(Offset != 0 ? "+" + Offset : "")}";
}

/// <summary>What a <c>ld_imm64</c> with a pseudo source refers to.</summary>
public enum SymbolKind
{
    /// <summary>A map (<c>BPF_PSEUDO_MAP_FD</c>): the value is the map pointer.</summary>
    Map,
    /// <summary>A global variable in a data section map (<c>BPF_PSEUDO_MAP_VALUE</c>): the value is its address.</summary>
    Global,
    /// <summary>A subprogram (<c>BPF_PSEUDO_FUNC</c>): the value is a callback address.</summary>
    Function,
}

/// <summary>
/// <c>dst = &amp;symbol + offset</c> through <c>ld_imm64</c>: a map, a data-section variable (symbol = the
/// variable's name, resolved by the emitter to its section and offset) or a function for callbacks.
/// </summary>
public sealed class SymbolAddressInstruction(VirtualRegister destination, SymbolKind kind, string symbol, int offset = 0) : IrInstruction
{
    public override VirtualRegister Destination { get; } = destination;
    public SymbolKind Kind { get; } = kind;
    public string Symbol { get; } = symbol;
    public int Offset { get; } = offset;
    public override IEnumerable<Operand> Uses => [];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { }
    public override string ToString() => $"{Destination} = &{Kind.ToString().ToLowerInvariant()}:{Symbol}{(Offset != 0 ? "+" + Offset : "")}";
}

/// <summary>What a <see cref="CallInstruction"/> calls.</summary>
public abstract record CallTarget;

/// <summary>A kernel helper by id (<c>call imm</c>).</summary>
public sealed record HelperTarget(int HelperId, string Name) : CallTarget
{
    public override string ToString() => Name;
}

/// <summary>A BPF-to-BPF call to another function of the module, by its <see cref="IrFunction.Name"/>.</summary>
public sealed record FunctionTarget(string FunctionName) : CallTarget
{
    public override string ToString() => FunctionName;
}

/// <summary>A kfunc: resolved by name against the kernel's BTF at load time (an extern FUNC in the object's BTF).</summary>
public sealed record KfuncTarget(string Name) : CallTarget
{
    public override string ToString() => "kfunc:" + Name;
}

/// <summary>
/// <c>dst = call target(args)</c>: at most 5 arguments (r1–r5), result in r0. Clobbers r0–r5.
/// </summary>
public sealed class CallInstruction(CallTarget target, VirtualRegister? destination, IReadOnlyList<Operand> arguments) : IrInstruction
{
    public CallTarget Target { get; } = target;
    public override VirtualRegister? Destination { get; } = destination;
    public Operand[] Arguments { get; } = [.. arguments];
    public override bool HasSideEffects => true;
    public override IEnumerable<Operand> Uses => Arguments;
    public override void RewriteUses(Func<VirtualRegister, Operand> map)
    {
        for (int i = 0; i < Arguments.Length; i++) Arguments[i] = Rewrite(Arguments[i], map);
    }
    public override string ToString() =>
        $"{(Destination is null ? "" : Destination + " = ")}call {Target}({string.Join(", ", Arguments)})";
}

/// <summary>
/// An atomic read-modify-write on memory (<c>BPF_ATOMIC</c>, word or double word): add/or/and/xor with or
/// without fetch, exchange. With fetch (or exchange) the old value lands in <see cref="Destination"/>.
/// </summary>
public sealed class AtomicInstruction(AtomicOp op, VirtualRegister? destination, Address address, Operand value, MemorySize size) : IrInstruction
{
    public AtomicOp Op { get; } = op;
    public override VirtualRegister? Destination { get; } = destination;
    public Address Address { get; set; } = address;
    public Operand Value { get; set; } = value;
    public MemorySize Size { get; } = size;
    public override bool HasSideEffects => true;
    public override IEnumerable<Operand> Uses => [.. AddressUses(Address), Value];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { Address = Rewrite(Address, map); Value = Rewrite(Value, map); }
    public override string ToString() => $"{(Destination is null ? "" : Destination + " = ")}atomic.{Op.ToString().ToLowerInvariant()}.{Size.ToIrName()} {Address}, {Value}";
}

/// <summary><c>dst = cmpxchg(address, expected, value)</c>: the old value; memory gets value when it equaled expected.</summary>
public sealed class CompareExchangeInstruction(VirtualRegister destination, Address address, Operand expected, Operand value, MemorySize size) : IrInstruction
{
    public override VirtualRegister Destination { get; } = destination;
    public Address Address { get; set; } = address;
    public Operand Expected { get; set; } = expected;
    public Operand Value { get; set; } = value;
    public MemorySize Size { get; } = size;
    public override bool HasSideEffects => true;
    public override IEnumerable<Operand> Uses => [.. AddressUses(Address), Expected, Value];
    public override void RewriteUses(Func<VirtualRegister, Operand> map)
    {
        Address = Rewrite(Address, map); Expected = Rewrite(Expected, map); Value = Rewrite(Value, map);
    }
    public override string ToString() => $"{Destination} = cmpxchg.{Size.ToIrName()} {Address}, {Expected}, {Value}";
}

internal static class MemorySizeNames
{
    public static string ToIrName(this MemorySize size) => size switch
    {
        MemorySize.Byte => "u8", MemorySize.Half => "u16", MemorySize.Word => "u32", _ => "u64",
    };

    public static int Bytes(this MemorySize size) => size switch
    {
        MemorySize.Byte => 1, MemorySize.Half => 2, MemorySize.Word => 4, _ => 8,
    };
}
