using BpfSharp.Tests.Fakes;
using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Unit;

/// <summary>Logic above the syscall seam, with a scripted kernel: no real bpf(2) here.</summary>
public unsafe class SyscallSeamTests
{
    static MapSpec HashSpec => new() { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 10, Name = "counts" };

    [Fact]
    public void MapCreateSendsTheSpecAndWrapsTheFd()
    {
        var kernel = new FakeSyscalls();
        var seen = new MapCreateAttr[1];
        kernel.Handler = (cmd, attr, size) =>
        {
            Assert.Equal((uint)sizeof(MapCreateAttr), size);
            seen[0] = *(MapCreateAttr*)attr;
            return 42;
        };
        using (BpfMap map = BpfMap.Create(HashSpec, kernel))
        {
            Assert.Equal(42, map.Fd.RawValue);
            Assert.Equal((uint)BpfMapType.Hash, seen[0].MapType);
            Assert.Equal(4u, seen[0].KeySize);
            Assert.Equal(8u, seen[0].ValueSize);
            Assert.Equal(10u, seen[0].MaxEntries);
            fixed (byte* name = seen[0].MapName)
                Assert.Equal("counts", Interop.BpfSyscall.ReadObjectName(name));
        }
        Assert.Equal([42], kernel.Closed);
    }

    [Fact]
    public void EpermBecomesAnExceptionNamingCommandErrnoAndCause()
    {
        var kernel = new FakeSyscalls { Handler = (_, _, _) => -(int)Errno.EPERM };
        var e = Assert.Throws<BpfSyscallException>(() => BpfMap.Create(HashSpec, kernel));
        Assert.Equal(BpfCommand.MapCreate, e.Command);
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Contains("BPF_MAP_CREATE", e.Message);
        Assert.Contains("EPERM", e.Message);
        Assert.Contains("CAP_BPF", e.Message);
        Assert.Contains("'counts'", e.Message);
    }

    [Fact]
    public void InterruptedCallsAreRetried()
    {
        var kernel = new FakeSyscalls();
        int calls = 0;
        kernel.Handler = (_, _, _) => ++calls < 3 ? -4 /* EINTR */ : 7;
        using BpfMap map = BpfMap.Create(HashSpec, kernel);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void TypedLookupPassesTheKeyAndFillsTheValue()
    {
        var kernel = new FakeSyscalls();
        kernel.Handler = (cmd, attr, _) =>
        {
            if (cmd == BpfCommand.MapCreate) return 9;
            var elem = (MapElemAttr*)attr;
            Assert.Equal(9u, elem->MapFd);
            uint key = *(uint*)elem->Key;
            if (key != 5) return -(int)Errno.ENOENT;
            *(ulong*)elem->Value = 0xfeed;
            return 0;
        };
        using var map = new HashMap<uint, ulong>(BpfMapFromFake(kernel));
        Assert.True(map.TryGetValue(5, out ulong value));
        Assert.Equal(0xfeedul, value);
        Assert.False(map.TryGetValue(6, out _));
    }

    [Fact]
    public void UnexpectedLookupErrorsThrowWithTheMapName()
    {
        var kernel = new FakeSyscalls();
        kernel.Handler = (cmd, _, _) => cmd == BpfCommand.MapCreate ? 9 : -(int)Errno.EFAULT;
        using var map = new HashMap<uint, ulong>(BpfMapFromFake(kernel));
        var e = Assert.Throws<BpfSyscallException>(() => map.TryGetValue(1, out _));
        Assert.Equal(Errno.EFAULT, e.Errno);
        Assert.Contains("'counts'", e.Message);
    }

    [Fact]
    public void WrongValueTypeSizeIsRejectedBeforeAnyElementCall()
    {
        var kernel = new FakeSyscalls { Handler = (_, _, _) => 9 };
        using BpfMap raw = BpfMapFromFake(kernel);
        var e = Assert.Throws<ArgumentException>(() => new HashMap<uint, uint>(raw));
        Assert.Contains("4 bytes", e.Message);
        Assert.Contains("8-byte values", e.Message);
        Assert.DoesNotContain(BpfCommand.MapLookupElem, kernel.Commands);
    }

    record struct WideCounter(uint Id, Int128 Total);

    [Fact]
    public void A16ByteAlignedValueIsRejectedBeforeTheKernelSeesIt()
    {
        var kernel = new FakeSyscalls { Handler = (_, _, _) => 9 };
        var e = Assert.Throws<BpfSharp.Layout.BpfLayoutException>(() => HashMap<uint, WideCounter>.Create(8, "wide", syscalls: kernel));
        Assert.Equal("Total", e.FieldPath);
        Assert.Equal(16, e.Offset);
        Assert.Contains("alignment", e.Rule);
        Assert.Empty(kernel.Commands);
    }

    static BpfMap BpfMapFromFake(FakeSyscalls kernel) => BpfMap.Create(HashSpec, kernel);
}

public class MapCreateDiagnosisTests
{
    [Theory]
    [InlineData(BpfMapType.Array, 8u, 4u, 10u, MapCreateFlags.None, "key_size is 8")]
    [InlineData(BpfMapType.RingBuf, 0u, 0u, 5000u, MapCreateFlags.None, "power of two")]
    [InlineData(BpfMapType.LpmTrie, 8u, 4u, 10u, MapCreateFlags.None, "BPF_F_NO_PREALLOC")]
    [InlineData(BpfMapType.Hash, 4u, 8u, 10u, MapCreateFlags.Mmapable, "BPF_F_MMAPABLE is only valid")]
    [InlineData(BpfMapType.Queue, 4u, 8u, 10u, MapCreateFlags.None, "no key")]
    [InlineData(BpfMapType.HashOfMaps, 4u, 4u, 10u, MapCreateFlags.None, "inner map")]
    [InlineData(BpfMapType.Hash, 4u, 8u, 0u, MapCreateFlags.None, "max_entries is 0")]
    public void EinvalNamesTheOffendingAttribute(BpfMapType type, uint key, uint value, uint entries, MapCreateFlags flags, string expected)
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EINVAL);
        var spec = new MapSpec { Type = type, KeySize = key, ValueSize = value, MaxEntries = entries, Flags = flags, Name = "m" };
        var e = Assert.Throws<BpfSyscallException>(() => BpfMap.Create(spec, kernel));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AValidSpecRefusedForAnotherReasonGetsNoInventedCause()
    {
        var kernel = FakeSyscalls.Returning(-(int)Errno.EINVAL);
        var spec = new MapSpec { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 10 };
        var e = Assert.Throws<BpfSyscallException>(() => BpfMap.Create(spec, kernel));
        Assert.DoesNotContain("Likely cause", e.Message);
    }

    [Fact]
    public void TheRealKernelsEinvalForABadRingBufferSizeIsExplained()
    {
        Kernel.Require();
        var spec = new MapSpec { Type = BpfMapType.RingBuf, MaxEntries = 4096 * 3, Name = "odd_ring" };
        var e = Assert.Throws<BpfSyscallException>(() => BpfMap.Create(spec));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("max_entries 12288", e.Message);
        Assert.Contains("power of two", e.Message);
    }
}
