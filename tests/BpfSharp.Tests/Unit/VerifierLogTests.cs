using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Unit;

public class VerifierLogTests
{
    const string Log = """
        func#0 @0
        0: R1=ctx() R10=fp0
        0: (bf) r2 = r10                      ; R2_w=fp0 R10=fp0
        1: (07) r2 += -8                      ; R2_w=fp-8
        2: (79) r0 = *(u64 *)(r2 +0)
        invalid read from stack R2 off -8+0 size 8
        processed 3 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
        """;

    [Fact]
    public void DecisiveLinesEndWithTheErrorNotTheStatistics()
    {
        string decisive = VerifierLog.Decisive(Log)!;
        Assert.EndsWith("invalid read from stack R2 off -8+0 size 8", decisive);
        Assert.Contains("2: (79) r0 = *(u64 *)(r2 +0)", decisive);
        Assert.DoesNotContain("processed", decisive);
    }

    [Fact]
    public void FailingInstructionIsTheLastOneShown() => Assert.Equal(2, VerifierLog.FailingInstruction(Log));

    [Fact]
    public void EmptyLogHasNoDecisiveLines()
    {
        Assert.Null(VerifierLog.Decisive(""));
        Assert.Equal(-1, VerifierLog.FailingInstruction(""));
    }
}
