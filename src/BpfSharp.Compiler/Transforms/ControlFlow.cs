using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>Graph queries over a function's blocks: predecessors, reachability, reverse post-order.</summary>
public static class ControlFlow
{
    /// <summary>For each block of the function, the blocks whose terminator names it (once per predecessor).</summary>
    public static Dictionary<BasicBlock, List<BasicBlock>> Predecessors(IrFunction function)
    {
        var preds = new Dictionary<BasicBlock, List<BasicBlock>>();
        foreach (BasicBlock b in function.Blocks) preds[b] = [];
        foreach (BasicBlock b in function.Blocks)
            foreach (BasicBlock s in b.Successors.Distinct())
                if (preds.TryGetValue(s, out List<BasicBlock>? list)) list.Add(b);
        return preds;
    }

    /// <summary>The blocks reachable from the entry, in reverse post-order (entry first).</summary>
    public static List<BasicBlock> ReversePostOrder(IrFunction function)
    {
        var order = new List<BasicBlock>();
        if (function.Blocks.Count == 0) return order;
        var members = new HashSet<BasicBlock>(function.Blocks);
        var visited = new HashSet<BasicBlock>();
        // Iterative DFS: deep loops and long chains must not overflow the CLR stack.
        var stack = new Stack<(BasicBlock Block, IEnumerator<BasicBlock> Next)>();
        BasicBlock entry = function.Blocks[0];
        visited.Add(entry);
        stack.Push((entry, entry.Successors.GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (next.MoveNext())
            {
                BasicBlock s = next.Current;
                if (members.Contains(s) && visited.Add(s)) stack.Push((s, s.Successors.GetEnumerator()));
            }
            else
            {
                stack.Pop();
                order.Add(block);
            }
        }
        order.Reverse();
        return order;
    }
}
