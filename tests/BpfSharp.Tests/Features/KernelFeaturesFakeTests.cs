using BpfSharp.Tests.Fakes;
using BpfSharp.Abi;
using BpfSharp.Features;
using Xunit;

namespace BpfSharp.Tests.Features;

/// <summary>The decision logic against a fake kernel: which refusals mean "unsupported" and which must not be cached.</summary>
public class KernelFeaturesFakeTests
{
    [Fact]
    public void EpermFromMapCreateThrowsAndIsNotCached()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EPERM);
        var e = Assert.Throws<BpfSyscallException>(() => KernelFeatures.IsMapTypeSupported(BpfMapType.Hash, kernel));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal(BpfCommand.MapCreate, e.Command);
        int first = kernel.BpfCalls;

        Assert.Throws<BpfSyscallException>(() => KernelFeatures.IsMapTypeSupported(BpfMapType.Hash, kernel));
        Assert.True(kernel.BpfCalls > first, "a refused probe must be asked again, not answered from a cache");
    }

    [Fact]
    public void EpermFromProgramLoadThrowsAndIsNotCached()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EPERM);
        var e = Assert.ThrowsAny<BpfSyscallException>(() => KernelFeatures.IsProgramTypeSupported(BpfProgramType.Xdp, kernel));
        Assert.Equal(Errno.EPERM, e.Errno);
        int first = kernel.BpfCalls;
        Assert.ThrowsAny<BpfSyscallException>(() => KernelFeatures.IsProgramTypeSupported(BpfProgramType.Xdp, kernel));
        Assert.True(kernel.BpfCalls > first);
    }

    [Fact]
    public void EpermFromHelperProbeThrows()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EPERM);
        var e = Assert.ThrowsAny<BpfSyscallException>(
            () => KernelFeatures.IsHelperSupported(BpfProgramType.Xdp, BpfHelperId.KtimeGetNs, kernel));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.ThrowsAny<BpfSyscallException>(() => KernelFeatures.RequireHelper(BpfProgramType.Xdp, BpfHelperId.KtimeGetNs, kernel));
    }

    [Theory]
    [InlineData((int)Errno.ENOMEM)]
    [InlineData((int)Errno.EACCES)]
    [InlineData((int)Errno.EBADF)]
    public void OtherRefusalsOfMapCreateThrow(int errno)
    {
        var kernel = FakeSyscalls.Returning(-errno);
        var e = Assert.Throws<BpfSyscallException>(() => KernelFeatures.IsMapTypeSupported(BpfMapType.Array, kernel));
        Assert.Equal((Errno)errno, e.Errno);
    }

    [Fact]
    public void EinvalFromMapCreateIsUnsupportedAndCached()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EINVAL);
        Assert.False(KernelFeatures.IsMapTypeSupported(BpfMapType.Hash, kernel));
        int first = kernel.BpfCalls;
        Assert.Equal(1, first);
        Assert.False(KernelFeatures.IsMapTypeSupported(BpfMapType.Hash, kernel));
        Assert.Equal(first, kernel.BpfCalls);
        Assert.Throws<BpfNotSupportedException>(() => KernelFeatures.RequireMapType(BpfMapType.Hash, kernel));
    }

    [Fact]
    public void EinvalWithoutVerifierLogIsAnUnsupportedProgramType()
    {
        // The fake writes no log, as the kernel does when it rejects the type before the verifier runs.
        var kernel = FakeSyscalls.Returning(-(int)Errno.EINVAL);
        Assert.False(KernelFeatures.IsProgramTypeSupported(BpfProgramType.Xdp, kernel));
        var e = Assert.Throws<BpfNotSupportedException>(() => KernelFeatures.RequireProgramType(BpfProgramType.Xdp, kernel));
        Assert.Contains("Xdp", e.Message);
        Assert.Contains(KernelFeatures.KernelRelease, e.Message);
    }

    [Fact]
    public void ASuccessfulCreateIsSupportedAndTheProbeMapIsClosed()
    {
        var kernel = FakeSyscalls.Returning(1000);
        Assert.True(KernelFeatures.IsMapTypeSupported(BpfMapType.Hash, kernel));
        Assert.True(KernelFeatures.IsProgramTypeSupported(BpfProgramType.SocketFilter, kernel));
        Assert.True(KernelFeatures.IsHelperSupported(BpfProgramType.SocketFilter, BpfHelperId.KtimeGetNs, kernel));
        Assert.Equal(3, kernel.BpfCalls);
    }
}
