using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>Appends a block to its only predecessor when that predecessor ends with an unconditional jump to it.</summary>
public static class BlockMerging
{
    public static bool Run(IrFunction function)
    {
        if (function.Blocks.Count == 0) return false;
        var preds = ControlFlow.Predecessors(function);
        BasicBlock entry = function.Blocks[0];
        var removed = new HashSet<BasicBlock>();
        foreach (BasicBlock p in function.Blocks)
        {
            if (removed.Contains(p)) continue;
            while (p.Terminator is JumpTerminator { Target: var b } && b != p && b != entry && preds[b] is [var only] && only == p)
            {
                p.Instructions.AddRange(b.Instructions);
                p.Terminator = b.Terminator;
                b.Instructions.Clear();
                foreach (BasicBlock s in b.Successors.Distinct())
                {
                    List<BasicBlock> sp = preds[s];
                    for (int k = 0; k < sp.Count; k++) if (sp[k] == b) sp[k] = p;
                }
                removed.Add(b);
            }
        }
        function.Blocks.RemoveAll(removed.Contains);
        return removed.Count > 0;
    }
}
