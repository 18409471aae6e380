using BpfSharp.Asm;
using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Frontend;

/// <summary>The insertion point into one <see cref="IrFunction"/>, shared by a method and everything inlined into it.</summary>
internal sealed class FunctionBuilder(IrFunction function)
{
    public IrFunction Function { get; } = function;
    public BasicBlock Current { get; set; } = function.Blocks.Count > 0 ? function.Blocks[0] : function.NewBlock();

    /// <summary>The C# location given to what is emitted next.</summary>
    public SourceLocation? Source { get; set; }

    public bool IsTerminated => Current.Terminator is not null;

    public VirtualRegister NewRegister(ValueKind kind, string? name = null) => Function.NewRegister(kind, name);

    public T Emit<T>(T instruction) where T : IrInstruction
    {
        instruction.Source ??= Source;
        if (IsTerminated) Current = Function.NewBlock(); // dead code after a terminator: an unreachable block
        Current.Instructions.Add(instruction);
        return instruction;
    }

    public void Terminate(Terminator terminator)
    {
        terminator.Source ??= Source;
        if (IsTerminated) Current = Function.NewBlock();
        Current.Terminator = terminator;
    }

    /// <summary>Ends the current block with a jump to <paramref name="next"/> (unless it is terminated) and continues in it.</summary>
    public void ContinueIn(BasicBlock next)
    {
        if (!IsTerminated) Terminate(new JumpTerminator(next));
        Current = next;
    }
}
