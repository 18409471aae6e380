namespace BpfSharp.Compiler.Backend;

/// <summary>Live-in and live-out register sets of every block, by backward data flow over the CFG (r10 is never tracked).</summary>
internal sealed class Liveness
{
    public RegisterSet[] LiveIn { get; }
    public RegisterSet[] LiveOut { get; }

    Liveness(RegisterSet[] liveIn, RegisterSet[] liveOut) { LiveIn = liveIn; LiveOut = liveOut; }

    public static Liveness Compute(MachineFunction function)
    {
        int n = function.Blocks.Count, capacity = function.RegisterCount;
        var uses = new RegisterSet[n];
        var defs = new RegisterSet[n];
        var liveIn = new RegisterSet[n];
        var liveOut = new RegisterSet[n];
        for (int b = 0; b < n; b++)
        {
            MachineBlock block = function.Blocks[b];
            var use = new RegisterSet(capacity);
            var def = new RegisterSet(capacity);
            foreach (MachineInstruction instruction in block.Code)
            {
                foreach (int u in instruction.Uses) if (!def.Contains(u)) use.Add(u);
                foreach (int d in instruction.Defs) def.Add(d);
            }
            foreach (int u in block.Terminator.Uses) if (!def.Contains(u)) use.Add(u);
            uses[b] = use;
            defs[b] = def;
            liveIn[b] = use.Clone();
            liveOut[b] = new RegisterSet(capacity);
        }

        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int b = n - 1; b >= 0; b--)
            {
                foreach (int s in function.Blocks[b].Terminator.Successors)
                    changed |= liveOut[b].UnionWith(liveIn[s]);
                // in = use ∪ (out − def)
                foreach (int r in liveOut[b].Members())
                    if (!defs[b].Contains(r) && !liveIn[b].Contains(r)) { liveIn[b].Add(r); changed = true; }
            }
        }
        return new Liveness(liveIn, liveOut);
    }

    /// <summary>Removes instructions without side effects whose results nobody reads; repeats until none is left.</summary>
    public static void RemoveDeadCode(MachineFunction function)
    {
        bool removed = true;
        while (removed)
        {
            removed = false;
            Liveness liveness = Compute(function);
            foreach (MachineBlock block in function.Blocks)
            {
                RegisterSet live = liveness.LiveOut[block.Index].Clone();
                foreach (int u in block.Terminator.Uses) live.Add(u);
                for (int i = block.Code.Count - 1; i >= 0; i--)
                {
                    MachineInstruction instruction = block.Code[i];
                    bool dead = !instruction.HasSideEffects && instruction.Defs.Length > 0 && !instruction.Defs.Any(live.Contains)
                        || instruction.IsCopy && instruction.Dst == instruction.Src;
                    if (dead)
                    {
                        block.Code.RemoveAt(i);
                        removed = true;
                        continue;
                    }
                    foreach (int d in instruction.Defs) live.Remove(d);
                    foreach (int u in instruction.Uses) live.Add(u);
                }
            }
        }
    }
}
