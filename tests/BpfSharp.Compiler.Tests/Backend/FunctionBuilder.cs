using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Tests.Backend;

/// <summary>Terse construction of IR functions for backend tests: each method appends to the current block and returns the new register.</summary>
sealed class FunctionBuilder
{
    public IrFunction Function { get; }
    public BasicBlock Block { get; set; }
    int _line = 1;

    public FunctionBuilder(string name, string? section = null, ValueKind? returns = ValueKind.I64)
    {
        Function = new IrFunction(name) { Section = section, ReturnKind = returns, Source = new SourceLocation("Test.cs", 1, 1) };
        Block = Function.NewBlock();
    }

    public VirtualRegister Param(ValueKind kind, string? name = null)
    {
        VirtualRegister r = Function.NewRegister(kind, name);
        Function.Parameters.Add(r);
        return r;
    }

    public VirtualRegister Reg(ValueKind kind, string? name = null) => Function.NewRegister(kind, name);
    public BasicBlock NewBlock() => Function.NewBlock();

    T Add<T>(T instruction) where T : IrInstruction
    {
        instruction.Source = new SourceLocation("Test.cs", ++_line, 5);
        Block.Instructions.Add(instruction);
        return instruction;
    }

    public VirtualRegister Binary(BinaryOp op, ValueKind kind, Operand left, Operand right)
    {
        VirtualRegister d = Reg(kind);
        Add(new BinaryInstruction(op, d, left, right));
        return d;
    }

    public void BinaryInto(VirtualRegister d, BinaryOp op, Operand left, Operand right) => Add(new BinaryInstruction(op, d, left, right));
    public void Move(VirtualRegister d, Operand value) => Add(new MoveInstruction(d, value));

    public VirtualRegister Const(ValueKind kind, long value)
    {
        VirtualRegister d = Reg(kind);
        Add(new MoveInstruction(d, Operand.Of(value)));
        return d;
    }

    public VirtualRegister Unary(UnaryOp op, ValueKind kind, Operand value)
    {
        VirtualRegister d = Reg(kind);
        Add(new UnaryInstruction(op, d, value));
        return d;
    }

    public VirtualRegister Extend(ValueKind kind, Operand value, int fromBits, bool signed)
    {
        VirtualRegister d = Reg(kind);
        Add(new ExtendInstruction(d, value, fromBits, signed));
        return d;
    }

    public VirtualRegister Load(ValueKind kind, Address address, MemorySize size, bool signExtend = false)
    {
        VirtualRegister d = Reg(kind);
        Add(new LoadInstruction(d, address, size, signExtend));
        return d;
    }

    public void Store(Address address, Operand value, MemorySize size) => Add(new StoreInstruction(address, value, size));

    public VirtualRegister StackAddress(StackSlot slot, int offset = 0)
    {
        VirtualRegister d = Reg(ValueKind.Ptr);
        Add(new StackAddressInstruction(d, slot, offset));
        return d;
    }

    public VirtualRegister Symbol(SymbolKind kind, string name, int offset = 0)
    {
        VirtualRegister d = Reg(ValueKind.Ptr);
        Add(new SymbolAddressInstruction(d, kind, name, offset));
        return d;
    }

    public VirtualRegister? Call(CallTarget target, ValueKind? result, params Operand[] args)
    {
        VirtualRegister? d = result is { } k ? Reg(k) : null;
        Add(new CallInstruction(target, d, args));
        return d;
    }

    public VirtualRegister? Atomic(AtomicOp op, ValueKind? result, Address address, Operand value, MemorySize size)
    {
        VirtualRegister? d = result is { } k ? Reg(k) : null;
        Add(new AtomicInstruction(op, d, address, value, size));
        return d;
    }

    public VirtualRegister CompareExchange(ValueKind kind, Address address, Operand expected, Operand value, MemorySize size)
    {
        VirtualRegister d = Reg(kind);
        Add(new CompareExchangeInstruction(d, address, expected, value, size));
        return d;
    }

    public void Return(Operand? value) => Block.Terminator = new ReturnTerminator(value) { Source = new SourceLocation("Test.cs", ++_line, 5) };
    public void Jump(BasicBlock target) => Block.Terminator = new JumpTerminator(target);
    public void Branch(Condition c, Operand l, Operand r, bool is32, BasicBlock t, BasicBlock f) =>
        Block.Terminator = new BranchTerminator(c, l, r, is32, t, f) { Source = new SourceLocation("Test.cs", ++_line, 5) };
    public void Abort(string reason) => Block.Terminator = new AbortTerminator(reason);
}
