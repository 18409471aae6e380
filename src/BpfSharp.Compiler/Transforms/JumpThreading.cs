using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>
/// Sends edges that lead to a block doing nothing but <c>goto T</c> straight to T. The emptied block loses its
/// predecessors and is left for <see cref="UnreachableBlockRemoval"/>. The entry block is never bypassed.
/// </summary>
public static class JumpThreading
{
    public static bool Run(IrFunction function)
    {
        if (function.Blocks.Count == 0) return false;
        bool changed = false;
        BasicBlock entry = function.Blocks[0];
        foreach (BasicBlock b in function.Blocks)
        {
            if (b == entry || b.Instructions.Count != 0 || b.Terminator is not JumpTerminator) continue;
            BasicBlock target = FinalTarget(b, entry);
            if (target == b) continue;
            foreach (BasicBlock p in function.Blocks)
            {
                if (p.Terminator is not { } t || !t.Successors.Contains(b)) continue;
                t.RetargetSuccessor(b, target);
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Where a chain of empty jump blocks ends (stopping at a cycle of them).</summary>
    static BasicBlock FinalTarget(BasicBlock start, BasicBlock entry)
    {
        var seen = new HashSet<BasicBlock> { start };
        BasicBlock current = start;
        while (current.Terminator is JumpTerminator j)
        {
            BasicBlock next = j.Target;
            if (!seen.Add(next)) return current == start ? start : current; // an empty infinite loop: keep one block of it
            current = next;
            if (current == entry || current.Instructions.Count != 0) break;
        }
        return current;
    }
}
