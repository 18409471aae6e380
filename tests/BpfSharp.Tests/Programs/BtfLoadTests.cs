using System.Buffers.Binary;
using BpfSharp.Abi;
using Xunit;

namespace BpfSharp.Tests.Programs;

public class BtfLoadTests
{
    /// <summary>A raw BTF blob with one type: <c>INT name "int", size, nr_bits</c>.</summary>
    static byte[] IntBlob(uint size, uint bits)
    {
        byte[] strings = "\0int\0"u8.ToArray();
        const int headerLength = 24, typeLength = 16;
        byte[] blob = new byte[headerLength + typeLength + strings.Length];
        Span<byte> s = blob;
        BinaryPrimitives.WriteUInt16LittleEndian(s, 0xEB9F);      // magic
        s[2] = 1;                                                 // version
        s[3] = 0;                                                 // flags
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], headerLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], 0);      // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], typeLength);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], typeLength); // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)strings.Length);
        Span<byte> t = s[headerLength..];
        BinaryPrimitives.WriteUInt32LittleEndian(t, 1);           // name_off → "int"
        BinaryPrimitives.WriteUInt32LittleEndian(t[4..], 1u << 24); // kind INT, vlen 0
        BinaryPrimitives.WriteUInt32LittleEndian(t[8..], size);
        BinaryPrimitives.WriteUInt32LittleEndian(t[12..], (1u << 24) | bits); // SIGNED, offset 0
        strings.CopyTo(t[typeLength..]);
        return blob;
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
}
