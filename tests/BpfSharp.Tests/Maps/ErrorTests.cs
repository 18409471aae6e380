using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Maps;

public class ErrorTests
{
    [Fact]
    public void ArrayWithAnEightByteKeyIsEinvalNamingTheCommandAndMap()
    {
        Kernel.Require();
        var e = Assert.Throws<BpfSyscallException>(() =>
            BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 8, ValueSize = 8, MaxEntries = 4, Name = "bad_array" }));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal(BpfCommand.MapCreate, e.Command);
        Assert.Contains("BPF_MAP_CREATE", e.Message);
        Assert.Contains("bad_array", e.Message);
        Assert.Contains("key 8 B", e.Message);
    }

    [Fact]
    public void RingBufferWithANonPowerOfTwoSizeIsEinval()
    {
        Kernel.Require();
        uint size = (uint)Environment.SystemPageSize * 3;
        var e = Assert.Throws<BpfSyscallException>(() =>
            BpfMap.Create(new MapSpec { Type = BpfMapType.RingBuf, MaxEntries = size, Name = "bad_ringbuf" }));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("BPF_MAP_CREATE", e.Message);
        Assert.Contains("bad_ringbuf", e.Message);
        Assert.Contains(size.ToString(), e.Message);
    }

    [Fact]
    public void TypedWrapperOverADifferentValueSizeNamesBothSizes()
    {
        Kernel.Require();
        using BpfMap raw = BpfMap.Create(new MapSpec { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 4, Name = "eight_bytes" });
        var e = Assert.Throws<ArgumentException>(() => new HashMap<uint, Triple>(raw));
        Assert.Contains("12 bytes", e.Message);
        Assert.Contains("8-byte values", e.Message);
        Assert.Contains("eight_bytes", e.Message);

        var k = Assert.Throws<ArgumentException>(() => new HashMap<ulong, ulong>(raw));
        Assert.Contains("8 bytes", k.Message);
        Assert.Contains("4-byte keys", k.Message);

        var t = Assert.Throws<ArgumentException>(() => new ArrayMap<ulong>(raw));
        Assert.Contains("Array", t.Message);

        // The wrapper did not take the map: it is still usable.
        raw.Update(BitConverter.GetBytes(1u), BitConverter.GetBytes(2ul));
    }

    [Fact]
    public void UntypedBuffersOfTheWrongSizeAreRefusedBeforeTheKernel()
    {
        Kernel.Require();
        using BpfMap map = BpfMap.Create(new MapSpec { Type = BpfMapType.PerCpuArray, KeySize = 4, ValueSize = 12, MaxEntries = 2, Name = "pc_sizes" });
        Assert.Equal((uint)(16 * PossibleCpus.Count), map.UserValueSize);
        var e = Assert.Throws<ArgumentException>(() => map.TryLookup(BitConverter.GetBytes(0u), new byte[12]));
        Assert.Contains($"{16 * PossibleCpus.Count}", e.Message);
        Assert.Throws<ArgumentException>(() => map.TryLookup(new byte[8], new byte[map.UserValueSize]));
        Assert.True(map.TryLookup(BitConverter.GetBytes(1u), new byte[map.UserValueSize]));
    }

    [Fact]
    public void DeleteOnAnArrayIsEinvalNamingTheMap()
    {
        Kernel.Require();
        using var array = ArrayMap<ulong>.Create(2, "no_delete");
        var e = Assert.Throws<BpfSyscallException>(() => array.Remove(0));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("BPF_MAP_DELETE_ELEM", e.Message);
        Assert.Contains("no_delete", e.Message);
    }
}
