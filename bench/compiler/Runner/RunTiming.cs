using BpfSharp.Programs;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>
/// ns per run from BPF_PROG_TEST_RUN: the kernel's own duration field (its mean over <c>repeat</c> runs), not wall
/// time: an XDP test run with repeat &gt; 1 carries a fixed 15–40 ms per call on this kernel. C and C# alternate,
/// the order flipping every round, so both see the same drift.
/// </summary>
static class RunTiming
{
    public static (List<uint> C, List<uint> CSharp) Measure(BenchmarkCase c, Side cSide, Side? csSide, int rounds, uint repeat)
    {
        byte[] packet = c.Packet();
        var results = (C: new List<uint>(), CSharp: new List<uint>());
        // Warm-up: one short run each (caches, branch predictors, JIT'd code pages).
        Run(cSide, packet, repeat / 10 + 1);
        if (csSide is not null) Run(csSide, packet, repeat / 10 + 1);
        for (int round = 0; round < rounds; round++)
        {
            bool cFirst = round % 2 == 0;
            if (cFirst) results.C.Add(Run(cSide, packet, repeat));
            if (csSide is not null) results.CSharp.Add(Run(csSide, packet, repeat));
            if (!cFirst) results.C.Add(Run(cSide, packet, repeat));
        }
        return results;
    }

    static uint Run(Side side, byte[] packet, uint repeat) =>
        side.Program.TestRun(new TestRunOptions { Data = packet, Repeat = repeat }).DurationNs;
}
