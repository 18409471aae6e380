using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>Backward dataflow: the registers whose current value may still be read, at each block's end.</summary>
public sealed class Liveness
{
    readonly Dictionary<BasicBlock, RegisterSet> _liveOut = [];

    public int Capacity { get; }

    public Liveness(IrFunction function)
    {
        Capacity = RegisterSet.CapacityFor(function);
        var liveIn = new Dictionary<BasicBlock, RegisterSet>();
        foreach (BasicBlock b in function.Blocks)
        {
            liveIn[b] = new RegisterSet(Capacity);
            _liveOut[b] = new RegisterSet(Capacity);
        }
        List<BasicBlock> order = ControlFlow.ReversePostOrder(function);
        order.Reverse(); // post-order converges fastest for a backward problem
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (BasicBlock b in order)
            {
                RegisterSet outSet = new(Capacity);
                foreach (BasicBlock s in b.Successors)
                    if (liveIn.TryGetValue(s, out RegisterSet? sIn)) outSet.UnionWith(sIn);
                _liveOut[b] = outSet;
                RegisterSet inSet = outSet.Clone();
                StepBackward(b.Terminator, inSet);
                for (int k = b.Instructions.Count - 1; k >= 0; k--) StepBackward(b.Instructions[k], inSet);
                if (!inSet.Equals(liveIn[b])) { liveIn[b] = inSet; changed = true; }
            }
        }
    }

    /// <summary>The registers live after the block's terminator (a copy the caller may change).</summary>
    public RegisterSet LiveOut(BasicBlock block) => _liveOut[block].Clone();

    /// <summary>Moves <paramref name="live"/> from after <paramref name="instruction"/> to before it.</summary>
    public static void StepBackward(IrInstruction instruction, RegisterSet live)
    {
        if (instruction.Destination is { } d) live.Remove(d);
        foreach (Operand o in instruction.Uses) if (o.Register is { } r) live.Add(r);
    }

    public static void StepBackward(Terminator? terminator, RegisterSet live)
    {
        if (terminator is null) return;
        foreach (Operand o in terminator.Uses) if (o.Register is { } r) live.Add(r);
    }
}
