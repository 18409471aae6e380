using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Fuzz;

/// <summary>The fuzz harness itself: it must catch each kind of fault and say which input caused it.</summary>
public class FuzzHarnessTests
{
    [Fact]
    public void EveryKindOfFaultIsReportedWithTheInputThatCausedIt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bpfsharp-fuzz-selftest-{Environment.ProcessId}.bin");
        File.WriteAllBytes(path, new byte[40]);
        try
        {
            // With no field map, the even indices 0, 2, 4 … are truncations to 0, 1, 2 … bytes: index 10 is 5 bytes.
            FuzzLimits limits = MalformedInputTests.Limits with { HangAfter = TimeSpan.FromSeconds(3) };
            FuzzReport report = FuzzRunner.Run(FuzzTargets.Get(FaultyParser.Name), [new FuzzEntry("zeros", path, 20)], 1, limits);

            FindingKind KindAt(long index) => report.Findings.Single(f => f.Index == index).Kind;
            Assert.Equal(FindingKind.Crash, KindAt(10));
            Assert.Contains("Stack overflow", report.Findings.Single(f => f.Index == 10).Detail);
            Assert.Equal(FindingKind.Hang, KindAt(12));
            Assert.Equal(FindingKind.Exception, KindAt(14));
            Assert.Contains("InvalidOperationException: a parser bug", report.Findings.Single(f => f.Index == 14).Detail);
            Assert.Equal(FindingKind.Allocation, KindAt(16));
            Assert.DoesNotContain(report.Findings, f => f.Index == 18); // 9 bytes: a BpfFormatException is a proper answer
            // Every finding names a mutation and saved the input it was about; only the faulty lengths are findings.
            foreach (FuzzFinding f in report.Findings)
            {
                Assert.False(string.IsNullOrEmpty(f.Mutation), f.ToString());
                Assert.InRange(new FileInfo(f.SavedInput!).Length, 5, 8);
            }
            // After each crash or hang a new child went on: all 21 inputs were answered or reported.
            Assert.Equal(21, report.Inputs + report.Findings.Count(f => f.Kind is FindingKind.Crash or FindingKind.Hang));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AMutationIsTheSameForTheSameSeedAndIndex()
    {
        var builder = new BtfBuilder();
        uint i = builder.AddInt("int", 4, signed: true);
        builder.AddStruct("pair", 8, ("a", i, 0u), ("b", i, 32u));
        byte[] btf = builder.Build();
        FieldMap map = BtfFieldScanner.Scan(btf);

        var a = new MutationPlan(btf, map, 7);
        var b = new MutationPlan(btf, map, 7);
        var other = new MutationPlan(btf, map, 8);

        for (long n = 0; n < 200; n++) Assert.Equal(a[n].ToString(), b[n].ToString());
        Assert.Contains(Enumerable.Range(0, 200), n => a[n].ToString() != other[n].ToString());
        // The scanner found the header, both types and both members.
        Assert.Equal(3u, map.RecordCount);
        Assert.Contains(map.Fields, f => f.Role == FieldRole.TypeRef && f.Owner == 2);
    }
}
