using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>Drops the blocks no path from the entry reaches; the remaining blocks keep their order and ids.</summary>
public static class UnreachableBlockRemoval
{
    public static bool Run(IrFunction function)
    {
        var reachable = new HashSet<BasicBlock>(ControlFlow.ReversePostOrder(function));
        return function.Blocks.RemoveAll(b => !reachable.Contains(b)) > 0;
    }
}
