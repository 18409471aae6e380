using Xunit;

using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Tests.Support;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

/// <summary>Random well-formed functions behave the same before and after the optimiser, and stay well-formed after every pass.</summary>
public class DifferentialTests
{
    const int Functions = 400, InputsPerFunction = 24;

    [Fact]
    public void Optimised_random_functions_compute_the_same_results()
    {
        var failures = new List<string>();
        int changedFunctions = 0;
        for (int seed = 1; seed <= Functions && failures.Count < 3; seed++)
        {
            IrFunction f = new RandomIrGenerator(seed).Generate();
            Assert.Empty(IrVerifier.Verify(f));
            string before = f.ToString();
            var inputRng = new Random(seed * 7919);
            long[][] inputs = [.. Enumerable.Range(0, InputsPerFunction).Select(_ => new[] { RandomIrGenerator.RandomArgument(inputRng), RandomIrGenerator.RandomArgument(inputRng) })];
            IrOutcome[] expected = [.. inputs.Select(args => new IrInterpreter(f).Run(args))];
            foreach (IrOutcome o in expected) Assert.True(o.Fault is null, $"seed {seed}: the generator built a faulting function: {o}\n{before}");

            string? lastPass = null;
            Optimizer.Run(f, (pass, g) =>
            {
                lastPass = pass.Name;
                IReadOnlyList<string> problems = IrVerifier.Verify(g);
                if (problems.Count > 0) failures.Add($"seed {seed}: after {pass.Name}: {string.Join("; ", problems)}\n--- before\n{before}--- after\n{g}");
            });
            if (lastPass is not null) changedFunctions++;
            for (int k = 0; k < inputs.Length; k++)
            {
                IrOutcome actual = new IrInterpreter(f).Run(inputs[k]);
                if (actual != expected[k])
                {
                    failures.Add($"seed {seed}, args ({string.Join(", ", inputs[k])}): expected {expected[k]}, got {actual}\n--- before\n{before}--- after\n{f}");
                    break;
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(changedFunctions > Functions * 9 / 10, $"only {changedFunctions} of {Functions} functions were changed: the generator no longer exercises the passes");
    }

    [Fact]
    public void The_optimiser_shrinks_random_functions()
    {
        int before = 0, after = 0;
        for (int seed = 1; seed <= 100; seed++)
        {
            IrFunction f = new RandomIrGenerator(seed).Generate();
            before += f.Blocks.Sum(b => b.Instructions.Count + 1);
            Optimizer.Run(f);
            after += f.Blocks.Sum(b => b.Instructions.Count + 1);
        }
        Assert.True(after < before * 9 / 10, $"{before} instructions became {after}");
    }
}
