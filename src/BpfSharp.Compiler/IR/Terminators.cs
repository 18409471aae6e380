namespace BpfSharp.Compiler.IR;

/// <summary>The instruction that ends a basic block.</summary>
public abstract class Terminator
{
    public Asm.SourceLocation? Source { get; set; }
    public abstract IEnumerable<BasicBlock> Successors { get; }
    public abstract IEnumerable<Operand> Uses { get; }
    public abstract void RewriteUses(Func<VirtualRegister, Operand> map);

    /// <summary>Replaces every edge to <paramref name="from"/> by one to <paramref name="to"/>.</summary>
    public abstract void RetargetSuccessor(BasicBlock from, BasicBlock to);

    public abstract override string ToString();
}

/// <summary><c>goto target</c>.</summary>
public sealed class JumpTerminator(BasicBlock target) : Terminator
{
    public BasicBlock Target { get; private set; } = target;
    public override IEnumerable<BasicBlock> Successors => [Target];
    public override IEnumerable<Operand> Uses => [];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { }
    public override void RetargetSuccessor(BasicBlock from, BasicBlock to) { if (Target == from) Target = to; }
    public override string ToString() => $"goto {Target.Label}";
}

/// <summary>Comparison conditions, with eBPF's signed/unsigned split.</summary>
public enum Condition
{
    Equal, NotEqual,
    UnsignedGreater, UnsignedGreaterOrEqual, UnsignedLess, UnsignedLessOrEqual,
    SignedGreater, SignedGreaterOrEqual, SignedLess, SignedLessOrEqual,
    /// <summary><c>(left &amp; right) != 0</c> (eBPF <c>jset</c>).</summary>
    BitsSet,
}

/// <summary>
/// <c>if (left cond right) goto whenTrue else goto whenFalse</c>. 32-bit (<c>JMP32</c>) when <see cref="Is32"/>.
/// Pointer comparisons (packet bounds checks) must be 64-bit and between registers.
/// </summary>
public sealed class BranchTerminator(Condition condition, Operand left, Operand right, bool is32, BasicBlock whenTrue, BasicBlock whenFalse) : Terminator
{
    public Condition Condition { get; set; } = condition;
    public Operand Left { get; set; } = left;
    public Operand Right { get; set; } = right;
    public bool Is32 { get; set; } = is32;
    public BasicBlock WhenTrue { get; private set; } = whenTrue;
    public BasicBlock WhenFalse { get; private set; } = whenFalse;
    public override IEnumerable<BasicBlock> Successors => [WhenTrue, WhenFalse];
    public override IEnumerable<Operand> Uses => [Left, Right];
    public override void RewriteUses(Func<VirtualRegister, Operand> map)
    {
        if (Left.Register is { } l) Left = map(l);
        if (Right.Register is { } r) Right = map(r);
    }
    public override void RetargetSuccessor(BasicBlock from, BasicBlock to)
    {
        if (WhenTrue == from) WhenTrue = to;
        if (WhenFalse == from) WhenFalse = to;
    }
    public override string ToString() =>
        $"if{(Is32 ? "32" : "")} {Left} {Condition} {Right} goto {WhenTrue.Label} else {WhenFalse.Label}";
}

/// <summary>Returns from the function (the program's return value for the entry function), with r0 = value when given.</summary>
public sealed class ReturnTerminator(Operand? value) : Terminator
{
    public Operand? Value { get; private set; } = value;
    public override IEnumerable<BasicBlock> Successors => [];
    public override IEnumerable<Operand> Uses => Value is { } v ? [v] : [];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { if (Value is { Register: { } r }) Value = map(r); }
    public override void RetargetSuccessor(BasicBlock from, BasicBlock to) { }
    public override string ToString() => Value is { } v ? $"return {v}" : "return";
}

/// <summary>
/// Where C# would throw (division by zero, overflow in <c>checked</c>, an explicit <c>throw</c>): the program
/// ends with <see cref="IrFunction.ExceptionExitCode"/> as its return value. In a subprogram the backend
/// calls the <c>bpf_throw</c> kfunc, which unwinds to the program and returns the same code.
/// </summary>
public sealed class AbortTerminator(string reason) : Terminator
{
    /// <summary>What C# would have thrown, e.g. <c>DivideByZeroException</c>.</summary>
    public string Reason { get; } = reason;
    public override IEnumerable<BasicBlock> Successors => [];
    public override IEnumerable<Operand> Uses => [];
    public override void RewriteUses(Func<VirtualRegister, Operand> map) { }
    public override void RetargetSuccessor(BasicBlock from, BasicBlock to) { }
    public override string ToString() => $"abort \"{Reason}\"";
}
