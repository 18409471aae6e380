using BpfSharp.Compiler.IR;

namespace BpfSharp.Compiler.Transforms;

/// <summary>One IR pass: its name (for dumps and verifier messages) and what it does; true when it changed the function.</summary>
public sealed record OptimizationPass(string Name, Func<IrFunction, bool> Run);

/// <summary>
/// The optimiser: a fixed pipeline of passes repeated until none changes the function (at most
/// <see cref="MaxRounds"/> rounds, so a pass pair that undoes each other cannot hang the compiler).
/// </summary>
public static class Optimizer
{
    /// <summary>The bound on pipeline repetitions.</summary>
    public const int MaxRounds = 16;

    /// <summary>The passes in the order one round runs them.</summary>
    public static IReadOnlyList<OptimizationPass> Pipeline { get; } =
    [
        new("constant-folding", ConstantFolding.Run),
        new("copy-propagation", CopyPropagation.Run),
        new("local-value-numbering", LocalValueNumbering.Run),
        new("branch-folding", BranchFolding.Run),
        new("unreachable-blocks", UnreachableBlockRemoval.Run),
        new("jump-threading", JumpThreading.Run),
        new("unreachable-blocks", UnreachableBlockRemoval.Run),
        new("block-merging", BlockMerging.Run),
        new("dead-code", DeadCodeElimination.Run),
    ];

    /// <summary>
    /// Optimises <paramref name="function"/> in place. <paramref name="afterPass"/>, when given, sees the function
    /// after every pass that changed it (tests verify it there; the driver can dump it).
    /// </summary>
    /// <returns>The number of rounds run.</returns>
    public static int Run(IrFunction function, Action<OptimizationPass, IrFunction>? afterPass = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.Blocks.Count == 0) return 0;
        for (int round = 1; round <= MaxRounds; round++)
        {
            bool changed = false;
            foreach (OptimizationPass pass in Pipeline)
            {
                if (!pass.Run(function)) continue;
                changed = true;
                afterPass?.Invoke(pass, function);
            }
            if (!changed) return round;
        }
        return MaxRounds;
    }
}
