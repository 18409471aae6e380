using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>Removes instructions without side effects whose destination is dead (liveness over the whole function).</summary>
public static class DeadCodeElimination
{
    public static bool Run(IrFunction function)
    {
        bool changedAny = false;
        // Removing one dead instruction can kill the inputs of another in an earlier block; repeat until stable.
        while (true)
        {
            var liveness = new Liveness(function);
            bool changed = false;
            foreach (BasicBlock b in function.Blocks)
            {
                RegisterSet live = liveness.LiveOut(b);
                Liveness.StepBackward(b.Terminator, live);
                for (int k = b.Instructions.Count - 1; k >= 0; k--)
                {
                    IrInstruction i = b.Instructions[k];
                    if (!i.HasSideEffects && i.Destination is { } d && !live.Contains(d))
                    {
                        b.Instructions.RemoveAt(k);
                        changed = true;
                        continue;
                    }
                    Liveness.StepBackward(i, live);
                }
            }
            if (!changed) return changedAny;
            changedAny = true;
        }
    }
}
