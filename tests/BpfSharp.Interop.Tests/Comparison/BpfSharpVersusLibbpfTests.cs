using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Reference;
using BpfSharp.Interop.Tests.Tools;
using Xunit;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>
/// The proof: every fixture loaded by BpfSharp and by libbpf 1.1 gives the same outcome, the same maps (type,
/// sizes, entries, flags, BTF, initial contents) and the same programs (type, submitted and translated instruction
/// counts, and the kernel's tag — identical submitted code).
/// </summary>
public class BpfSharpVersusLibbpfTests
{
    public static TheoryData<string> Names => new(FixtureCatalog.All.Select(f => f.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void LoadsLikeLibbpf(string name)
    {
        Require.LibbpfLoad();
        Fixture fixture = FixtureCatalog.Get(name);
        using PinDirectory ourPins = PinDirectory.Create("ours");
        LoadedObjectSummary ours = BpfSharpLoader.Load(fixture.ObjectPath, ourPins.Path);

        if (fixture.Libbpf11CannotLoad is { } limit)
        {
            // Nothing to compare with: BpfSharp must do what libbpf 1.1 cannot.
            if (fixture.KernelRefuses is { } errno)
                Assert.True(ours.Outcome == LoadOutcome.KernelRefused && ours.Errno == errno, $"expected the kernel to refuse {name} with {errno}:\n{ours}");
            else
                Assert.True(ours.Outcome == LoadOutcome.Loaded, $"BpfSharp did not load {name}, which libbpf 1.1 cannot ({limit.Reason}):\n{ours}");
            return;
        }

        using PinDirectory libbpfPins = PinDirectory.Create("libbpf");
        LoadedObjectSummary libbpf = LibbpfReference.Load(fixture.ObjectPath, libbpfPins.Path);
        SummaryAssert.Same(libbpf, ours);
    }
}
