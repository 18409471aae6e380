using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

public class BtfBuilderTests
{
    [Fact]
    public void WhatTheBuilderWritesTheReaderReadsBack()
    {
        var builder = new BtfBuilder();
        uint u32 = builder.AddInt("unsigned int", 4);
        uint s64 = builder.AddInt("long", 8, signed: true);
        uint flag = builder.AddInt("_Bool", 1, isBool: true);
        uint arr = builder.AddArray(u32, u32, 3);
        uint pair = builder.AddStruct("pair", 32, ("a", u32, 0u), ("b", s64, 64u), ("ok", flag, 128u), ("xs", arr, 160u));
        uint ptr = builder.AddPointer(pair);

        BtfSpec spec = BtfSpec.Parse(builder.Build());

        Assert.Equal(7, spec.Types.Count); // void + 6
        BtfType p = spec.Find("pair", BtfKind.Struct)!;
        Assert.Equal(pair, p.Id);
        Assert.Equal(32u, p.Size);
        Assert.Equal(["a", "b", "ok", "xs"], p.Members.Select(m => m.Name));
        Assert.Equal([0u, 64u, 128u, 160u], p.Members.Select(m => m.BitOffset));
        Assert.Equal(1, spec[s64].IntEncoding);
        Assert.Equal(64, spec[s64].IntBits);
        Assert.Equal(4, spec[flag].IntEncoding);
        Assert.Equal(3u, spec[arr].ElementCount);
        Assert.Equal(12, spec.SizeOf(arr));
        Assert.Equal(BtfKind.Pointer, spec[ptr].Kind);
        Assert.Equal(pair, spec[ptr].TypeId);
    }

    [Fact]
    public void NamesAreStoredOnce()
    {
        var a = new BtfBuilder();
        uint i = a.AddInt("int", 4, signed: true);
        a.AddStruct("s", 4, ("int", i, 0u));
        var b = new BtfBuilder();
        b.AddInt("int", 4, signed: true);
        Assert.Equal(b.Build().Length + 12 + 12 + 2, a.Build().Length); // a struct header + one member + "s\0"
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(23)]
    public void TruncatedHeadersAreRejectedWithTheReason(int length)
    {
        byte[] blob = new BtfBuilder().Build();
        var e = Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(blob.AsSpan(0, length)));
        Assert.Contains("header", e.Message);
    }

    [Fact]
    public void ANameOutsideTheStringTableIsReported()
    {
        var builder = new BtfBuilder();
        builder.AddInt("int", 4);
        byte[] blob = builder.Build();
        blob[24] = 0xff; // name_off of type 1
        var e = Assert.Throws<BtfFormatException>(() => BtfSpec.Parse(blob));
        Assert.Contains("string table", e.Message);
    }

    [Fact]
    public void KernelBtfParsesAndHasTheBpfAttrUnion()
    {
        if (!File.Exists("/sys/kernel/btf/vmlinux"))
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail("CI machines have kernel BTF at /sys/kernel/btf/vmlinux; it is missing.");
            Assert.Skip("no kernel BTF on this machine");
        }
        BtfSpec vmlinux = BtfSpec.LoadKernel();
        Assert.True(vmlinux.Types.Count > 10_000);
        BtfType attr = vmlinux.Find("bpf_attr", BtfKind.Union)!;
        Assert.Contains(attr.Members, m => m.Name == "batch");
        Assert.Equal(vmlinux.SizeOf(attr.Id), attr.Size);
    }
}
