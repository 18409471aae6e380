using BpfSharp.Btf;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.Unit;

/// <summary>kconfig values converted to each C type a <c>.kconfig</c> extern may have, and the errors for values that do not fit.</summary>
public class KconfigTests
{
    static readonly Kconfig Config = Kconfig.Parse("""
        # CONFIG_NOT_SET is not set
        CONFIG_BPF=y
        CONFIG_MODULAR=m
        CONFIG_HZ=250
        CONFIG_MASK=0xff00
        CONFIG_NEGATIVE=-3
        CONFIG_NAME="hello world"
        CONFIG_BIG=4096
        """);

    readonly BtfSpec btf;
    readonly Dictionary<string, uint> vars = [];

    public KconfigTests()
    {
        var b = new BtfBuilder();
        uint boolId = b.AddInt("_Bool", 1, isBool: true);
        uint charId = b.AddInt("char", 1, signed: true); // as clang writes plain char: signed, no CHAR bit
        uint intId = b.AddInt("int", 4, signed: true);
        uint u64 = b.AddInt("unsigned long long", 8);
        uint u8 = b.AddInt("unsigned char", 1);
        uint tristate = b.AddEnum("libbpf_tristate", 4, signed: false, ("TRI_NO", 0), ("TRI_YES", 1), ("TRI_MODULE", 2));
        uint chars = b.AddArray(charId, intId, 16);
        uint ptr = b.AddPointer(intId);
        foreach (var (name, type) in new[] { ("bool", boolId), ("char", charId), ("int", intId), ("u64", u64), ("u8", u8), ("tristate", tristate), ("chars", chars), ("ptr", ptr) })
            vars[name] = b.AddVar(name, type);
        btf = BtfSpec.Parse(b.Build());
    }

    byte[] Write(string type, string setting, uint size)
    {
        byte[] contents = new byte[size + 4];
        var ext = new ExternDefinition { Name = setting, Kind = ExternKind.Kconfig, BtfTypeId = vars[type], Size = size, Offset = 4 };
        Assert.True(Config.TryWrite(ext, btf, contents, "obj"), $"{setting} should be set");
        Assert.Equal(new byte[4], contents[..4]); // nothing outside the extern's slot
        return contents[4..];
    }

    BpfObjectException Refused(string type, string setting, uint size)
    {
        var ext = new ExternDefinition { Name = setting, Kind = ExternKind.Kconfig, BtfTypeId = vars[type], Size = size, Offset = 0 };
        return Assert.Throws<BpfObjectException>(() => Config.TryWrite(ext, btf, new byte[size], "obj"));
    }

    [Fact]
    public void ValuesBecomeTheirCTypes()
    {
        Assert.Equal([1], Write("bool", "CONFIG_BPF", 1));
        Assert.Equal([(byte)'m'], Write("char", "CONFIG_MODULAR", 1));
        Assert.Equal([250], Write("u8", "CONFIG_HZ", 1));
        Assert.Equal(BitConverter.GetBytes(2), Write("tristate", "CONFIG_MODULAR", 4));
        Assert.Equal(BitConverter.GetBytes(1), Write("tristate", "CONFIG_BPF", 4));
        Assert.Equal(BitConverter.GetBytes(250), Write("int", "CONFIG_HZ", 4));
        Assert.Equal(BitConverter.GetBytes(-3), Write("int", "CONFIG_NEGATIVE", 4));
        Assert.Equal(BitConverter.GetBytes(0xff00ul), Write("u64", "CONFIG_MASK", 8));
        byte[] name = Write("chars", "CONFIG_NAME", 16);
        Assert.Equal("hello world", System.Text.Encoding.ASCII.GetString(name, 0, 11));
        Assert.All(name[11..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void AnUnsetValueIsReportedNotInvented()
    {
        var ext = new ExternDefinition { Name = "CONFIG_NOT_SET", Kind = ExternKind.Kconfig, BtfTypeId = vars["int"], Size = 4 };
        Assert.False(Config.TryWrite(ext, btf, new byte[4], "obj"));
    }

    [Fact]
    public void ValuesThatDoNotFitNameTheExtern()
    {
        Assert.Contains("extern 'CONFIG_MODULAR'", Refused("bool", "CONFIG_MODULAR", 1).Message);
        Assert.Contains("tristate enum", Refused("tristate", "CONFIG_HZ", 4).Message);
        Assert.Contains("does not fit in 1 byte", Refused("u8", "CONFIG_BIG", 1).Message);
        Assert.Contains("declare it as bool, char or enum libbpf_tristate", Refused("int", "CONFIG_BPF", 4).Message);
        Assert.Contains("cannot have", Refused("ptr", "CONFIG_HZ", 8).Message);
        Assert.Contains("not a string", Refused("chars", "CONFIG_HZ", 16).Message);
    }

    [Fact]
    public void KernelVersionCodeIsTheRunningRelease()
    {
        string release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        string[] parts = release.Split('.', '-');
        uint expected = (uint.Parse(parts[0]) << 16) | (uint.Parse(parts[1]) << 8) | Math.Min(uint.Parse(parts[2]), 255u);
        Assert.Equal(expected, Kconfig.KernelVersionCode());
        Assert.Equal(expected.ToString(), Kconfig.Load("/dev/null")["LINUX_KERNEL_VERSION"]);
    }
}
