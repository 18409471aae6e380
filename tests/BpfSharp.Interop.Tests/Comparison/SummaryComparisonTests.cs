using BpfSharp.Abi;
using BpfSharp.Interop.Tests.Comparison;
using Xunit;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>The comparison itself: it must see every difference, name where it is, and ignore what may differ.</summary>
public class SummaryComparisonTests
{
    static readonly MapSummary Counts = new("counts", BpfMapType.Hash, 4, 8, 128, MapCreateFlags.None, 0, true, true, 0, null);
    static readonly MapSummary Rodata = new("obj.rodata", BpfMapType.Array, 4, 16, 1, MapCreateFlags.RdonlyProg | MapCreateFlags.Mmapable, 0, false, true, 0, "2a00000000000000");
    static readonly ProgramSummary Xdp = new("xdp_prog", BpfProgramType.Xdp, BpfAttachType.Xdp, 20, 22, "0011223344556677", true, true, 2);

    static LoadedObjectSummary Libbpf(params IEnumerable<MapSummary> maps) => LoadedObjectSummary.Loaded("libbpf 1.1", maps, [Xdp]);

    [Fact]
    public void IdenticalSummariesHaveNoDifferences()
    {
        var ours = LoadedObjectSummary.Loaded("BpfSharp", [Rodata, Counts], [Xdp]);

        Assert.Empty(Libbpf(Counts, Rodata).Compare(ours));
    }

    [Fact]
    public void EachMapDifferenceNamesTheMapTheFieldAndBothValues()
    {
        var ours = LoadedObjectSummary.Loaded("BpfSharp", [Counts with { KeySize = 8, Flags = MapCreateFlags.NoPrealloc }, Rodata with { InitialValue = "00" }], [Xdp]);

        IReadOnlyList<string> diff = Libbpf(Counts, Rodata).Compare(ours);

        Assert.Equal(3, diff.Count);
        Assert.Contains("map 'counts' key size: 4 (libbpf 1.1) vs 8 (BpfSharp)", diff);
        Assert.Contains("map 'counts' flags: None (libbpf 1.1) vs NoPrealloc (BpfSharp)", diff);
        Assert.Contains("map 'obj.rodata' initial value: 2a00000000000000 (libbpf 1.1) vs 00 (BpfSharp)", diff);
    }

    [Fact]
    public void MissingAndExtraObjectsAreReportedBySide()
    {
        var ours = LoadedObjectSummary.Loaded("BpfSharp", [Counts, Counts with { Name = "extra" }], [Xdp, Xdp with { Name = "other" }]);

        IReadOnlyList<string> diff = Libbpf(Counts, Rodata).Compare(ours);

        Assert.Contains(diff, d => d.StartsWith("map 'obj.rodata': only libbpf 1.1 has it"));
        Assert.Contains(diff, d => d.StartsWith("map 'extra': only BpfSharp has it"));
        Assert.Contains(diff, d => d.StartsWith("program 'other': only BpfSharp has it"));
        Assert.Equal(3, diff.Count);
    }

    [Fact]
    public void ProgramCountsAndTagAreCompared()
    {
        var ours = LoadedObjectSummary.Loaded("BpfSharp", [Counts], [Xdp with { SubmittedInstructions = 21, XlatedInstructions = 23, Tag = "ffffffffffffffff" }]);

        IReadOnlyList<string> diff = Libbpf(Counts).Compare(ours);

        Assert.Contains("program 'xdp_prog' submitted instructions: 20 (libbpf 1.1) vs 21 (BpfSharp)", diff);
        Assert.Contains("program 'xdp_prog' xlated instructions: 22 (libbpf 1.1) vs 23 (BpfSharp)", diff);
        Assert.Contains(diff, d => d.StartsWith("program 'xdp_prog' tag:"));
        Assert.Equal(2, Libbpf(Counts).Compare(ours, SummaryFields.All & ~SummaryFields.Tag).Count);
    }

    [Fact]
    public void WhatOnlyOneSideReportsIsNotADifference()
    {
        var ours = LoadedObjectSummary.Loaded("BpfSharp", [Counts], [Xdp with { SubmittedInstructions = null, ExpectedAttachType = null }]);

        Assert.Empty(Libbpf(Counts).Compare(ours));
    }

    [Fact]
    public void RefusalsCompareOutcomeAndOnlyTheKernelsErrno()
    {
        var kernelEperm = LoadedObjectSummary.Refused("libbpf 1.1", LoadOutcome.KernelRefused, Errno.EPERM, "BPF program load failed");
        var oursEperm = LoadedObjectSummary.Refused("BpfSharp", LoadOutcome.KernelRefused, Errno.EPERM, "BPF_PROG_LOAD failed with EPERM");
        var oursEinval = oursEperm with { Errno = Errno.EINVAL };
        var libbpfOwn = LoadedObjectSummary.Refused("libbpf 1.1", LoadOutcome.LoaderRefused, Errno.EOPNOTSUPP, "legacy maps");
        var oursOwn = LoadedObjectSummary.Refused("BpfSharp", LoadOutcome.LoaderRefused, null, "legacy maps are …");

        Assert.Empty(kernelEperm.Compare(oursEperm));
        Assert.Equal(["errno: EPERM (libbpf 1.1) vs EINVAL (BpfSharp)"], kernelEperm.Compare(oursEinval));
        Assert.Empty(libbpfOwn.Compare(oursOwn));
        Assert.Contains("load outcome: KernelRefused (libbpf 1.1) vs Loaded (BpfSharp)", kernelEperm.Compare(Libbpf(Counts) with { Loader = "BpfSharp" }));
    }

    [Fact]
    public void AssertionMessageListsTheDifferencesAndBothTables()
    {
        var ours = LoadedObjectSummary.Loaded("BpfSharp", [Counts with { MaxEntries = 1 }], [Xdp]);

        var e = Assert.ThrowsAny<Exception>(() => SummaryAssert.Same(Libbpf(Counts), ours));

        Assert.Contains("map 'counts' max entries: 128 (libbpf 1.1) vs 1 (BpfSharp)", e.Message);
        Assert.Contains("libbpf 1.1: Loaded", e.Message);
        Assert.Contains("BpfSharp: Loaded", e.Message);
        Assert.Contains("map  counts Hash key 4 value 8 max 1", e.Message);
    }
}
