using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>
/// Minimized inputs from fuzz findings in <see cref="BtfSpec"/>, run in a fuzz child process so that a crash fails
/// the test instead of ending the test run.
/// </summary>
public class BtfSpecRegressionTests
{
    /// <summary>
    /// Found by MalformedInputTests (seed 1, object-btf callbacks_tailcalls index 257: one bit flip turned an
    /// array's element type into the array itself). SizeOf recursed into the element type without a bound and the
    /// process died of a stack overflow; it must throw a BtfFormatException (a cycle) instead.
    /// </summary>
    [Fact]
    public void SizeOfAnArrayOfItselfIsAFormatErrorNotAStackOverflow()
    {
        var builder = new BtfBuilder();
        uint i = builder.AddInt("int", 4, signed: true);
        uint array = builder.AddArray(elementId: i + 1, indexId: i, count: 4); // its own element
        Assert.Equal(i + 1, array);

        FuzzReport report = RunUnmutated("array-of-itself", builder.Build());

        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings));
        Assert.Equal(1, report.Inputs);
    }

    static FuzzReport RunUnmutated(string name, byte[] btf)
    {
        string path = Path.Combine(Path.GetTempPath(), $"bpfsharp-fuzz-{name}-{Environment.ProcessId}.btf");
        File.WriteAllBytes(path, btf);
        try
        {
            return FuzzRunner.Run(FuzzTargets.Get("BtfSpec"), [new FuzzEntry(name, path, 0)], 1, MalformedInputTests.Limits);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
