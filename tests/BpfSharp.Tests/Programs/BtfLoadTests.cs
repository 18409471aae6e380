using BpfSharp.Abi;
using Xunit;

namespace BpfSharp.Tests.Programs;

public class BtfLoadTests
{
    /// <summary>A raw BTF blob with one type: <c>INT name "int", size, nr_bits</c>.</summary>
    static byte[] IntBlob(uint size, uint bits)
    {
        var btf = new BpfSharp.Btf.BtfBuilder();
        btf.AddInt("int", size, signed: true, bits: bits);
        return btf.Build();
    }

    [Fact]
    public void AHandBuiltBlobLoads()
    {
        Kernel.Require();
        using BtfHandle btf = BtfHandle.Load(IntBlob(4, 32));
        Assert.True(btf.Id > 0);
        using BtfHandle again = BtfHandle.Load(IntBlob(8, 64));
        Assert.NotEqual(btf.Id, again.Id);
    }

    [Fact]
    public void AMalformedBlobThrowsWithTheKernelsLog()
    {
        Kernel.Require();
        // 64 bits do not fit a 4-byte int.
        var e = Assert.Throws<BpfSyscallException>(() => BtfHandle.Load(IntBlob(4, 64)));

        Assert.Equal(BpfCommand.BtfLoad, e.Command);
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("BTF log:", e.Message);
        Assert.Contains("nr_bits", e.Message);          // the kernel's own words about the INT
    }

    [Fact]
    public void ABadMagicIsRejected()
    {
        Kernel.Require();
        byte[] blob = IntBlob(4, 32);
        blob[0] ^= 0xff;
        var e = Assert.Throws<BpfSyscallException>(() => BtfHandle.Load(blob));
        Assert.Equal(BpfCommand.BtfLoad, e.Command);
        Assert.Contains("magic", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LoadedBtfIsListedAndOpensById()
    {
        Kernel.Require();
        using BtfHandle btf = BtfHandle.Load(IntBlob(4, 32));
        uint id = btf.Id;
        Assert.Contains(id, BtfHandle.EnumerateIds());
        using BtfHandle again = BtfHandle.FromId(id);
        Assert.Equal(id, again.Id);
        Assert.NotEqual(btf.Fd.RawValue, again.Fd.RawValue);
    }
}
