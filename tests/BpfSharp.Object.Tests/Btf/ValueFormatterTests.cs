using System.Buffers.Binary;
using System.Text.Json;
using BpfSharp.Btf;
using BpfSharp.Btf.Values;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>BTF value formatting: each kind of type on hand-built BTF, then a whole clang-built <c>.data</c> section.</summary>
public class ValueFormatterTests
{
    [Fact]
    public void IntegersKeepTheirSignAndBoolsAndEnumsTheirNames()
    {
        var b = new BtfBuilder();
        uint u32 = b.AddInt("unsigned int", 4);
        uint s16 = b.AddInt("short", 2, signed: true);
        uint u64 = b.AddInt("unsigned long long", 8);
        uint flag = b.AddInt("_Bool", 1, isBool: true);
        uint color = b.AddEnum("color", 4, signed: true, ("RED", 1), ("BLUE", -3));
        uint s = b.AddStruct("scalars", 24, ("a", u32, 0u), ("b", s16, 32u), ("ok", flag, 48u), ("c", color, 64u), ("d", color, 96u), ("big", u64, 128u));
        BtfSpec btf = b.ToSpec();

        byte[] data = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(data, 4_000_000_000);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(4), -7);
        data[6] = 2; // any non-zero byte is true
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), -3);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(12), -100);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), ulong.MaxValue);

        Assert.Equal("{ .a = 4000000000, .b = -7, .ok = true, .c = BLUE, .d = -100, .big = 18446744073709551615 }",
            BtfValueFormatter.Format(btf, s, data));
        Assert.Equal("""{"a":4000000000,"b":-7,"ok":true,"c":"BLUE","d":-100,"big":18446744073709551615}""",
            BtfValueFormatter.FormatJson(btf, s, data));
    }

    [Fact]
    public void CharArraysAreStringsOnlyWhenTerminatedAndPrintable()
    {
        var b = new BtfBuilder();
        uint ch = b.AddInt("char", 1, signed: true);
        uint u8 = b.AddTypedef("__u8", b.AddInt("unsigned char", 1));
        uint index = b.AddInt("__ARRAY_SIZE_TYPE__", 4);
        uint name = b.AddArray(ch, index, 8);
        uint bytes = b.AddArray(u8, index, 4);
        uint s = b.AddStruct("names", 32, ("text", name, 0u), ("full", name, 64u), ("odd", name, 128u), ("u8s", bytes, 192u));
        BtfSpec btf = b.ToSpec();

        byte[] data = new byte[32];
        "a\"b\\c"u8.CopyTo(data);
        "ABCDEFGH"u8.CopyTo(data.AsSpan(8));                // no NUL: not a string
        data[16] = 1;                                       // unprintable
        "ok"u8.CopyTo(data.AsSpan(24));                     // unsigned char bytes stay numbers

        Assert.Equal("""{ .text = "a\"b\\c", .full = [65, 66, 67, 68, 69, 70, 71, 72], .odd = [1, 0, 0, 0, 0, 0, 0, 0], .u8s = [111, 107, 0, 0] }""",
            BtfValueFormatter.Format(btf, s, data));
        using JsonDocument json = JsonDocument.Parse(BtfValueFormatter.FormatJson(btf, s, data));
        Assert.Equal("a\"b\\c", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("full").ValueKind);
    }

    [Fact]
    public void BitfieldsAreExtractedAndSignExtended()
    {
        var b = new BtfBuilder();
        uint u32 = b.AddInt("unsigned int", 4);
        uint s32 = b.AddInt("int", 4, signed: true);
        uint u64 = b.AddInt("unsigned long long", 8);
        uint e = b.AddEnum("mode", 4, signed: false, ("OFF", 0), ("ON", 5));
        uint s = b.AddComposite(BtfKind.Struct, "flags", 16,
            new BtfMember("x", u32, 0, 3), new BtfMember("y", u32, 3, 5), new BtfMember("z", s32, 8, 4),
            new BtfMember("", u32, 12, 4), new BtfMember("m", e, 16, 4), new BtfMember("w", u64, 20, 40));
        BtfSpec btf = b.ToSpec();

        // x=5 (3 bits), y=17 (5 bits), z=-3 (4 bits: 0b1101), padding, m=5, w=0x123456789a straddling bytes.
        UInt128 packed = 5 | (17u << 3) | (0b1101u << 8) | (0xfu << 12) | (5u << 16) | ((UInt128)0x123456789aUL << 20);
        byte[] data = new byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(data, packed);

        Assert.Equal("{ .x = 5, .y = 17, .z = -3, .m = ON, .w = 78187493530 }", BtfValueFormatter.Format(btf, s, data));
    }

    [Fact]
    public void PointersWideIntegersAndFloatsHaveTheirOwnNotation()
    {
        var b = new BtfBuilder();
        uint i128 = b.AddInt("__int128", 16, signed: true);
        uint f32 = b.AddFloat("float", 4);
        uint f64 = b.AddFloat("double", 8);
        uint ptr = b.AddPointer(0);
        uint s = b.AddStruct("misc", 48, ("p", ptr, 0u), ("f", f32, 64u), ("d", f64, 128u), ("nan", f64, 192u), ("wide", i128, 256u));
        BtfSpec btf = b.ToSpec();

        byte[] data = new byte[48];
        BinaryPrimitives.WriteUInt64LittleEndian(data, 0xffff888012345678);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(8), 1.1f);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(16), -2.25);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(24), double.NaN);
        BinaryPrimitives.WriteUInt128LittleEndian(data.AsSpan(32), ((UInt128)1 << 64) | 2);

        Assert.Equal("{ .p = 0xffff888012345678, .f = 1.1, .d = -2.25, .nan = NaN, .wide = 0x10000000000000002 }", BtfValueFormatter.Format(btf, s, data));
        Assert.Equal("""{"p":"0xffff888012345678","f":1.1,"d":-2.25,"nan":"NaN","wide":"0x10000000000000002"}""", BtfValueFormatter.FormatJson(btf, s, data));
    }

    [Fact]
    public void NestedStructsArraysUnionsAndAnonymousMembers()
    {
        var b = new BtfBuilder();
        uint u16 = b.AddInt("unsigned short", 2);
        uint u32 = b.AddInt("unsigned int", 4);
        uint index = b.AddInt("__ARRAY_SIZE_TYPE__", 4);
        uint point = b.AddStruct("point", 4, ("x", u16, 0u), ("y", u16, 16u));
        uint points = b.AddArray(point, index, 2);
        uint anon = b.AddUnion("", 4, ("whole", u32, 0u), ("half", u16, 0u));
        uint matrix = b.AddArray(b.AddArray(u16, index, 2), index, 2);
        uint shape = b.AddStruct("shape", 24, ("pts", points, 0u), ("", anon, 64u), ("m", matrix, 96u), ("tail", b.AddConst(b.AddTypedef("u32_t", u32)), 160u));
        BtfSpec btf = b.ToSpec();

        byte[] data = new byte[24];
        ushort[] words = [1, 2, 3, 4, 0x0002, 0x0001, 5, 6, 7, 8, 9, 0];
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), words[i]);

        Assert.Equal("{ .pts = [{ .x = 1, .y = 2 }, { .x = 3, .y = 4 }], .whole = 65538, .half = 2, .m = [[5, 6], [7, 8]], .tail = 9 }",
            BtfValueFormatter.Format(btf, shape, data));
        Assert.Equal("""
            {
                .pts = [
                    {
                        .x = 1,
                        .y = 2
                    },
                    {
                        .x = 3,
                        .y = 4
                    }
                ],
                .whole = 65538,
                .half = 2,
                .m = [
                    [5, 6],
                    [7, 8]
                ],
                .tail = 9
            }
            """.ReplaceLineEndings("\n"), BtfValueFormatter.Format(btf, shape, data, indented: true));
    }

    [Fact]
    public void ADataSectionIsAnObjectOfItsVariables()
    {
        var b = new BtfBuilder();
        uint u32 = b.AddInt("unsigned int", 4);
        uint u64 = b.AddInt("unsigned long long", 8);
        uint counter = b.AddVar("counter", u32);
        uint total = b.AddVar("total", u64);
        uint bss = b.AddDataSection(".bss", 16, new BtfSectionVariable(counter, 0, 4), new BtfSectionVariable(total, 8, 8));
        BtfSpec btf = b.ToSpec();
        byte[] data = new byte[16];
        data[0] = 3;
        data[8] = 200;

        Assert.Equal("{ .counter = 3, .total = 200 }", BtfValueFormatter.Format(btf, bss, data));
        Assert.Equal("""{"counter":3,"total":200}""", BtfValueFormatter.FormatJson(btf, bss, data));
        Assert.Equal("3", BtfValueFormatter.Format(btf, counter, data)); // a VAR shows its variable
    }

    [Fact]
    public void BadInputIsAnExceptionThatSaysWhat()
    {
        var b = new BtfBuilder();
        uint u32 = b.AddInt("unsigned int", 4);
        uint s = b.AddStruct("pair", 8, ("a", u32, 0u), ("b", u32, 32u));
        uint broken = b.AddStruct("broken", 4, ("a", u32, 0u), ("past", u32, 64u));
        uint proto = b.AddFuncProto(u32, []);
        BtfSpec btf = b.ToSpec();

        var shortValue = Assert.Throws<ArgumentException>(() => BtfValueFormatter.Format(btf, s, new byte[4]));
        Assert.Contains("4 bytes", shortValue.Message);
        Assert.Contains("struct pair", shortValue.Message);
        Assert.Contains("is 8", shortValue.Message);
        Assert.Contains("no size", Assert.Throws<ArgumentException>(() => BtfValueFormatter.Format(btf, proto, new byte[8])).Message);
        Assert.Contains("past the 4 bytes", Assert.Throws<BtfFormatException>(() => BtfValueFormatter.Format(btf, broken, new byte[4])).Message);
        Assert.Throws<BtfFormatException>(() => BtfValueFormatter.Format(btf, 999, new byte[8]));
        Assert.Equal("", HexBytes.Format([]));
        Assert.Equal("2a 00 ff", HexBytes.Format([0x2a, 0, 0xff]));
    }

    [Fact]
    public void AClangBuiltDataSectionShowsEveryFieldByName()
    {
        Dictionary<string, byte[]> sections = BtfTools.CompileSections("value_formatter.bpf.c", [".BTF", ".data"]);
        BtfSpec btf = BtfSpec.Parse(sections[".BTF"]);
        byte[] data = sections[".data"];
        uint everything = btf.Find("everything", BtfKind.Struct)!.Id;

        string text = BtfValueFormatter.Format(btf, everything, data); // g is the first variable of .data

        Assert.Equal(
            "{ .count = 42, .neg = -5, .name = \"hi\", .raw = [1, 2, 3, 4], .c = GREEN, .unknown = 7, "
            + ".in = { .a = 7, .b = -2, .ok = true }, .bf = { .x = 5, .y = 17, .z = -3, .e = BLUE, .w = 78187493530 }, "
            + ".u = { .i = 1065353216, .f = 1, .b = [0, 0, 128, 63] }, .ptr = 0x1234, "
            + ".arr = [{ .a = 1, .b = 2, .ok = false }, { .a = 3, .b = 4, .ok = true }], .bytes = [9, 8, 7], .d = 1.5, "
            + ".wide = 0x10000000000000002, .fn = 0x0, .anon_a = 65538, .anon_b = 2, .sl = -9 }", text);

        using JsonDocument json = JsonDocument.Parse(BtfValueFormatter.FormatJson(btf, everything, data));
        JsonElement root = json.RootElement;
        Assert.Equal(42, root.GetProperty("count").GetInt32());
        Assert.Equal("hi", root.GetProperty("name").GetString());
        Assert.Equal("GREEN", root.GetProperty("c").GetString());
        Assert.Equal("BLUE", root.GetProperty("bf").GetProperty("e").GetString());
        Assert.Equal(-2, root.GetProperty("in").GetProperty("b").GetInt32());
        Assert.True(root.GetProperty("arr")[1].GetProperty("ok").GetBoolean());
        Assert.Equal("0x1234", root.GetProperty("ptr").GetString());
    }
}
