namespace BpfSharp.Compiler.Backend;

/// <summary>Sets each block's loop nesting depth from the natural loops of the CFG's back edges (spill costs weigh by it).</summary>
internal static class LoopDepth
{
    public static void Compute(MachineFunction function)
    {
        int n = function.Blocks.Count;
        var predecessors = new List<int>[n];
        for (int b = 0; b < n; b++) predecessors[b] = [];
        foreach (MachineBlock block in function.Blocks)
            foreach (int s in block.Terminator.Successors) predecessors[s].Add(block.Index);

        var state = new byte[n]; // 0 new, 1 on the DFS stack, 2 done
        var backEdges = new List<(int Tail, int Header)>();
        var stack = new Stack<(int Block, IEnumerator<int> Next)>();
        state[0] = 1;
        stack.Push((0, function.Blocks[0].Terminator.Successors.GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (!next.MoveNext()) { state[block] = 2; stack.Pop(); continue; }
            int s = next.Current;
            if (state[s] == 1) backEdges.Add((block, s));
            else if (state[s] == 0) { state[s] = 1; stack.Push((s, function.Blocks[s].Terminator.Successors.GetEnumerator())); }
        }

        var depth = new int[n];
        foreach (var group in backEdges.GroupBy(e => e.Header))
        {
            var body = new HashSet<int> { group.Key };
            var work = new Stack<int>(group.Select(e => e.Tail));
            while (work.Count > 0)
            {
                int b = work.Pop();
                if (!body.Add(b)) continue;
                foreach (int p in predecessors[b]) work.Push(p);
            }
            foreach (int b in body) depth[b]++;
        }
        foreach (MachineBlock block in function.Blocks) block.LoopDepth = depth[block.Index];
    }
}
