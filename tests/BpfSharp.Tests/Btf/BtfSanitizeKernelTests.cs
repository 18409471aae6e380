using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Features;
using BpfSharp.Tests.Fakes;
using Xunit;

namespace BpfSharp.Tests.Btf;

/// <summary>The BTF feature probes against the real kernel and a fake one, and sanitized BTF against the real kernel.</summary>
public class BtfSanitizeKernelTests
{
    static BtfSpec ObjectBtf() => ClangBtf.WithDataSectionsLaidOut(BtfSpec.Parse(ClangBtf.Compile("every_kind.bpf.c", ["NO_KSYM"])));

    [Fact]
    public void ThisKernelSupportsEveryKind()
    {
        Kernel.Require();
        // All of these arrived by 6.0 (ENUM64 last); '?' DATASEC names are accepted by the 6.18 these tests run on.
        Version release = Version.TryParse(string.Join('.', KernelFeatures.KernelRelease.Split('.', '-').Take(2)), out Version? v) ? v : new Version(0, 0);
        if (release < new Version(6, 0)) Assert.Skip($"kernel {KernelFeatures.KernelRelease} predates ENUM64");
        BtfKernelSupport supported = BtfFeatureProbe.Supported();
        Assert.Equal(BtfKernelSupport.All & ~BtfKernelSupport.QuestionMarkDataSection, supported & ~BtfKernelSupport.QuestionMarkDataSection);
        Assert.Same(ObjectBtf() is var spec ? spec : null, BtfFeatureProbe.SanitizeForKernel(spec));
    }

    [Fact]
    public void ProbeBlobsUseOnlyTheirFeature()
    {
        // Each probe blob, sanitized for "everything but its feature", must change: it really uses the feature.
        foreach (BtfKernelSupport feature in Enum.GetValues<BtfKernelSupport>())
        {
            if (feature is BtfKernelSupport.None or BtfKernelSupport.All or BtfKernelSupport.Btf) continue;
            BtfSpec probe = BtfSpec.Parse(BtfFeatureProbe.ProbeFor(feature));
            Assert.True(BtfSanitizer.NeedsSanitizing(probe, BtfKernelSupport.All & ~feature), $"{feature} probe does not use {feature}");
            // Like libbpf's, the global-func probe is a FUNC, and the '?' and decl-tag probes tag or place a VAR.
            BtfKernelSupport prerequisite = feature switch
            {
                BtfKernelSupport.GlobalFunc => BtfKernelSupport.Func,
                BtfKernelSupport.QuestionMarkDataSection or BtfKernelSupport.DeclTag => BtfKernelSupport.DataSection,
                _ => BtfKernelSupport.None,
            };
            Assert.False(BtfSanitizer.NeedsSanitizing(probe, BtfKernelSupport.Btf | feature | prerequisite), $"{feature} probe needs more than {feature}");
        }
    }

    [Fact]
    public void EinvalMeansUnsupportedAndIsCached()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EINVAL);
        Assert.False(BtfFeatureProbe.IsSupported(BtfKernelSupport.Enum64, kernel));
        int calls = kernel.BpfCalls;
        Assert.False(BtfFeatureProbe.IsSupported(BtfKernelSupport.Enum64, kernel));
        Assert.Equal(calls, kernel.BpfCalls);
        Assert.Equal(BtfKernelSupport.None, BtfFeatureProbe.Supported(kernel));
        Assert.All(kernel.Commands, c => Assert.Equal(BpfCommand.BtfLoad, c));
    }

    [Fact]
    public void EpermThrowsAndIsNotCached()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EPERM);
        var e = Assert.Throws<BpfSyscallException>(() => BtfFeatureProbe.IsSupported(BtfKernelSupport.Float, kernel));
        Assert.Equal(Errno.EPERM, e.Errno);
        int calls = kernel.BpfCalls;
        Assert.Throws<BpfSyscallException>(() => BtfFeatureProbe.IsSupported(BtfKernelSupport.Float, kernel));
        Assert.True(kernel.BpfCalls > calls, "a refused probe must be asked again, not answered from a cache");
    }

    [Fact]
    public void OneFlagAtATime() =>
        Assert.Throws<ArgumentException>(() => BtfFeatureProbe.IsSupported(BtfKernelSupport.Float | BtfKernelSupport.Func));

    /// <summary>
    /// What kernels of each BTF generation support, in the order the kinds arrived (4.18 BTF, 5.0 FUNC, 5.2 DATASEC,
    /// 5.6 global funcs, 5.13 FLOAT, 5.16 DECL_TAG, 5.17 TYPE_TAG, 6.0 ENUM64, then '?' section names). A set that
    /// skips a generation (DECL_TAG without VAR) describes no kernel, and its output need not load.
    /// </summary>
    public static TheoryData<BtfKernelSupport> Generations()
    {
        BtfKernelSupport[] order =
        [
            BtfKernelSupport.Btf, BtfKernelSupport.Func, BtfKernelSupport.DataSection, BtfKernelSupport.GlobalFunc, BtfKernelSupport.Float,
            BtfKernelSupport.DeclTag, BtfKernelSupport.TypeTag, BtfKernelSupport.Enum64, BtfKernelSupport.QuestionMarkDataSection,
        ];
        var data = new TheoryData<BtfKernelSupport>();
        var support = BtfKernelSupport.None;
        foreach (BtfKernelSupport feature in order) data.Add(support |= feature);
        return data;
    }

    [Theory]
    [MemberData(nameof(Generations))]
    public void SanitizedObjectBtfLoads(BtfKernelSupport support)
    {
        Kernel.Require();
        BtfSpec sanitized = BtfSanitizer.Sanitize(ObjectBtf(), support);
        using BtfHandle handle = BtfHandle.Load(BtfBuilder.From(sanitized).Build());
        Assert.True(handle.Id > 0);
    }

    [Fact]
    public void SanitizedVmlinuxWithNothingSupportedLoads()
    {
        Kernel.Require();
        if (!KernelBtf.IsAvailable) Assert.Skip("no kernel BTF");
        BtfSpec sanitized = BtfSanitizer.Sanitize(KernelBtf.Vmlinux, BtfKernelSupport.Btf);
        Assert.DoesNotContain(sanitized.Types, t => t.Kind is BtfKind.Func or BtfKind.FuncProto or BtfKind.Var or BtfKind.DataSection or BtfKind.Float or BtfKind.DeclTag or BtfKind.TypeTag or BtfKind.Enum64);
        using BtfHandle handle = BtfHandle.Load(BtfBuilder.From(sanitized).Build());
        Assert.True(handle.Id > 0);
    }
}
