using BpfSharp.Abi;
using BpfSharp.Interop.Tests.Comparison;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Reference;
using BpfSharp.Interop.Tests.Tools;
using Xunit;

namespace BpfSharp.Interop.Tests.Reference;

/// <summary>libbpf 1.1's result for every fixture is the one the fixture table records.</summary>
public class LibbpfReferenceTests
{
    public static TheoryData<string> Names => new(FixtureCatalog.All.Select(f => f.Name));

    public static TheoryData<string> BpftoolNames => new(FixtureCatalog.All.Where(f => f.BpftoolCannotLoad is null).Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void LibbpfResultIsTheOneInTheTable(string name)
    {
        Require.LibbpfLoad();
        Fixture fixture = FixtureCatalog.Get(name);

        LoadedObjectSummary libbpf = LibbpfReference.Load(fixture.ObjectPath);

        if (fixture.Libbpf11CannotLoad is { } limit)
        {
            Assert.True(libbpf.Outcome != LoadOutcome.Loaded, $"libbpf 1.1 now loads {name}; the table says it cannot ({limit.Reason}):\n{libbpf}");
            Assert.Contains(limit.LogSays, libbpf.Message);
        }
        else if (fixture.KernelRefuses is { } errno)
        {
            Assert.True(libbpf.Outcome == LoadOutcome.KernelRefused && libbpf.Errno == errno,
                $"expected the kernel to refuse {name} with {errno}:\n{libbpf}");
        }
        else
        {
            Assert.True(libbpf.Outcome == LoadOutcome.Loaded, $"libbpf 1.1 did not load {name}:\n{libbpf}");
            Assert.NotEmpty(libbpf.Programs);
            Assert.All(libbpf.Programs, p =>
            {
                Assert.NotEqual(BpfProgramType.Unspec, p.Type);
                Assert.True(p.SubmittedInstructions > 0, $"{p}");
                Assert.True(p.XlatedInstructions > 0, $"{p}");
                Assert.Matches("^[0-9a-f]{16}$", p.Tag);
                Assert.True(p.HasBtf, $"{p}: loaded without func_info");
            });
        }
    }

    [Theory]
    [MemberData(nameof(BpftoolNames))]
    public void BpftoolAgreesWithTheHarness(string name)
    {
        // Both go through libbpf 1.1 (bpftool's built-in copy, the harness the shared library): the harness is an honest
        // reference only if they give the same kernel objects.
        Require.LibbpfLoad();
        Fixture fixture = FixtureCatalog.Get(name);

        LoadedObjectSummary harness = LibbpfReference.Load(fixture.ObjectPath);
        LoadedObjectSummary bpftool = LibbpfReference.LoadWithBpftool(fixture.ObjectPath);

        SummaryAssert.Same(WithoutGlobalDataMmapable(harness), WithoutGlobalDataMmapable(bpftool));
    }

    /// <summary>
    /// bpftool 7.1's built-in libbpf (from the Linux 6.1 tree) makes every global-data map mmapable; libbpf 1.1.2 leaves
    /// out BPF_F_MMAPABLE when a section holds only static variables (e.g. bpf_printk formats, .rodata.cst*). The harness
    /// follows the newer rule, which later libbpf releases keep.
    /// </summary>
    static LoadedObjectSummary WithoutGlobalDataMmapable(LoadedObjectSummary s) => s with
    {
        Maps = s.Maps.Select(m => m.Name.Contains('.') ? m with { Flags = m.Flags & ~MapCreateFlags.Mmapable } : m).ToArray(),
    };

    [Fact]
    public void TwoLoadsOfTheSameObjectSummariseAlike()
    {
        // Nothing load-specific (kernel ids, BTF ids, fds) may leak into a summary, or every comparison would differ.
        Require.LibbpfLoad();
        string obj = FixtureCatalog.Get("medium").ObjectPath;

        LoadedObjectSummary first = LibbpfReference.Load(obj), second = LibbpfReference.Load(obj);

        Assert.Equal(LoadOutcome.Loaded, first.Outcome);
        SummaryAssert.Same(first, second);
    }

    [Fact]
    public void MediumIsBigEnoughForTheLoadBenchmark()
    {
        Require.LibbpfLoad();

        LoadedObjectSummary medium = LibbpfReference.Load(FixtureCatalog.Get("medium").ObjectPath);

        Assert.True(medium.Maps.Count(m => !m.Name.Contains('.')) >= 8, medium.ToString());
        Assert.True(medium.Programs.Count >= 6, medium.ToString());
        Assert.True(medium.Programs.Select(p => p.Type).Distinct().Count() >= 5, medium.ToString());
    }

    [Fact]
    public void GlobalsBecomeOneArrayMapPerSectionWithTheirInitialValues()
    {
        Require.LibbpfLoad();

        LoadedObjectSummary globals = LibbpfReference.Load(FixtureCatalog.Get("globals").ObjectPath);

        MapSummary Map(string name) => Assert.Single(globals.Maps, m => m.Name == name);
        Assert.All(globals.Maps, m => Assert.Equal(BpfMapType.Array, m.Type));
        Assert.Equal(5, globals.Maps.Count);
        Assert.Equal("07000000", Map("globals.data").InitialValue);                 // int counter = 7
        Assert.StartsWith("03000000", Map(".data.custom").InitialValue);           // int custom_counter = 3
        Assert.True(Map("globals.rodata").Flags.HasFlag(MapCreateFlags.RdonlyProg), Map("globals.rodata").ToString());
        Assert.True(Map(".rodata.custom").Flags.HasFlag(MapCreateFlags.RdonlyProg));
        Assert.StartsWith("01000000" + "64000000", Map("globals.rodata").InitialValue);  // cfg = { .mode = 1, .limit = 100 }
        Assert.Equal(new string('0', Map("globals.bss").InitialValue!.Length), Map("globals.bss").InitialValue);
        Assert.Equal("2a000000", Map(".rodata.custom").InitialValue);
    }

    [Fact]
    public void MapInMapAndProgArrayKeepTheirTypes()
    {
        Require.LibbpfLoad();

        LoadedObjectSummary mim = LibbpfReference.Load(FixtureCatalog.Get("map_in_map").ObjectPath);
        LoadedObjectSummary tails = LibbpfReference.Load(FixtureCatalog.Get("tail_calls").ObjectPath);
        LoadedObjectSummary ops = LibbpfReference.Load(FixtureCatalog.Get("struct_ops").ObjectPath);

        Assert.Equal(BpfMapType.ArrayOfMaps, Assert.Single(mim.Maps, m => m.Name == "outer_array").Type);
        Assert.Equal(BpfMapType.HashOfMaps, Assert.Single(mim.Maps, m => m.Name == "outer_hash").Type);
        Assert.Equal(BpfMapType.ProgArray, Assert.Single(tails.Maps, m => m.Name == "jump_table").Type);
        Assert.Equal(3, tails.Programs.Count);
        MapSummary cc = Assert.Single(ops.Maps);
        Assert.Equal(BpfMapType.StructOps, cc.Type);
        Assert.NotEqual(0u, cc.BtfVmlinuxValueTypeId);
        Assert.All(ops.Programs, p => Assert.Equal(BpfProgramType.StructOps, p.Type));
    }

    [Fact]
    public void AutoloadOffProgramsAreNotLoaded()
    {
        Require.LibbpfLoad();

        LoadedObjectSummary tc = LibbpfReference.Load(FixtureCatalog.Get("prog_tc").ObjectPath);

        Assert.Equal(["tc_legacy", "tc_mark"], tc.Programs.Select(p => p.Name));
    }

    [Fact]
    public void PinsByNameGoUnderThePinRootAndAreReused()
    {
        Require.LibbpfLoad();
        using PinDirectory root = PinDirectory.Create("test");
        string obj = FixtureCatalog.Get("pinning").ObjectPath;

        LoadedObjectSummary first = LibbpfReference.Load(obj, root.Path);

        Assert.Equal(LoadOutcome.Loaded, first.Outcome);
        Assert.Equal(["pinned_counts"], Directory.GetFiles(root.Path).Select(Path.GetFileName));
        using var pinned = BpfSharp.Maps.BpfMap.OpenPinned(Path.Combine(root.Path, "pinned_counts"));
        uint id = pinned.GetInfo().Id;
        pinned.Update(BitConverter.GetBytes(7u), BitConverter.GetBytes(99ul));

        // A second load finds the compatible pin and uses that map instead of creating one.
        LoadedObjectSummary second = LibbpfReference.Load(obj, root.Path);

        SummaryAssert.Same(first, second);
        using var again = BpfSharp.Maps.BpfMap.OpenPinned(Path.Combine(root.Path, "pinned_counts"));
        Assert.Equal(id, again.GetInfo().Id);
        Assert.False(File.Exists(Path.Combine(PinDirectory.BpffsRoot, "pinned_counts")), "pinned at the global bpffs root");
    }
}
