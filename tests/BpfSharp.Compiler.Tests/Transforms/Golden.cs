using Xunit;

using BpfSharp.Compiler.IR;
using BpfSharp.Compiler.Transforms;

namespace BpfSharp.Compiler.Tests.Transforms;

/// <summary>Runs one pass on a function and compares the dump before and after with the expected text.</summary>
static class Golden
{
    public static void Check(IrFunction f, Func<IrFunction, bool> pass, string expectedBefore, string expectedAfter)
    {
        Assert.Empty(IrVerifier.Verify(f));
        Assert.Equal(Normalize(expectedBefore), Normalize(f.ToString()));
        bool changed = pass(f);
        Assert.Equal(Normalize(expectedAfter), Normalize(f.ToString()));
        Assert.Equal(Normalize(expectedBefore) != Normalize(expectedAfter), changed);
        Assert.Empty(IrVerifier.Verify(f));
    }

    static string Normalize(string s) => s.ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
}
