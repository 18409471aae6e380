using System.Buffers.Binary;
using System.Text.RegularExpressions;
using BpfSharp.Btf;
using BpfSharp.Btf.Ext;
using BpfSharp.Elf;
using BpfSharp.Object.Tests.Elf;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Ext;

public class BtfExtTests
{
    const string CoreSource = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>
        #include <bpf/bpf_core_read.h>
        struct task { int pid; int tgid; struct { long a; long b; } nested; } __attribute__((preserve_access_index));
        SEC("tp/x") int core(struct task *t)
        {
            int r = 0;
            if (bpf_core_field_exists(t->tgid))
                r += BPF_CORE_READ(t, pid);
            r += bpf_core_field_size(t->nested.b);
            return r;
        }
        char LICENSE[] SEC("license") = "GPL";
        """;

    static (byte[] Ext, BtfStringSection Strings, byte[] Object) Load(string source)
    {
        byte[] bytes = Toolchain.CompileBytes(source);
        ElfFile elf = ElfFile.Parse(bytes);
        return (elf.GetData(elf.FindSection(".BTF.ext")!).ToArray(), BtfStringSection.FromBtf(elf.GetData(elf.FindSection(".BTF")!)), bytes);
    }

    /// <summary>BTF type ids by name and kind, from <c>bpftool btf dump file</c>.</summary>
    static Dictionary<string, uint> BpftoolIds(string path)
    {
        var ids = new Dictionary<string, uint>();
        foreach (Match m in Regex.Matches(Toolchain.Output("bpftool", $"btf dump file {path}"), @"^\[(\d+)\] (\w+) '([^']*)'", RegexOptions.Multiline))
            ids.TryAdd($"{m.Groups[2].Value} {m.Groups[3].Value}", uint.Parse(m.Groups[1].Value));
        return ids;
    }

    [Fact]
    public void FuncInfoNamesEveryFunctionAtItsSymbolOffset()
    {
        var (ext, strings, bytes) = Load(ElfSamples.Everything);
        BtfExt parsed = BtfExt.Parse(ext, strings);
        Dictionary<string, uint> ids = BpftoolIds(Toolchain.Compile(ElfSamples.Everything));

        ElfFile elf = ElfFile.Parse(bytes);
        ElfSymbolTable symbols = elf.GetSymbolTable();
        var expected = new List<(string, uint, uint)>();
        for (int i = 0; i < symbols.Count; i++)
        {
            ElfSymbol s = symbols[i];
            if (s.Type == ElfSymbolType.Func)
                expected.Add((elf.Sections[s.SectionIndex].Name, (uint)s.Value, ids[$"FUNC {symbols.GetName(s)}"]));
        }
        var actual = parsed.FuncInfo.SelectMany(s => s.Records.Select(r => (s.SectionName, r.Offset, r.TypeId))).ToList();
        Assert.Equal(expected.OrderBy(e => e), actual.OrderBy(e => e));
    }

    [Fact]
    public void LineInfoPointsAtTheSourceLines()
    {
        string path = Toolchain.Compile(ElfSamples.Everything);
        var (ext, strings, _) = Load(ElfSamples.Everything);
        BtfExt parsed = BtfExt.Parse(ext, strings);
        string[] lines = File.ReadAllLines(Path.ChangeExtension(path, ".c"));

        Assert.Equal([".text", "tc", "xdp"], parsed.LineInfo.Select(s => s.SectionName).Order());
        foreach (BtfLineInfo line in parsed.LineInfo.SelectMany(s => s.Records))
        {
            Assert.EndsWith(".c", line.FileName);
            Assert.Equal(lines[line.Line - 1], line.LineText);
            Assert.InRange(line.Column, 0u, (uint)lines[line.Line - 1].Length + 1);
            Assert.Equal(line.FileName, strings.Get(line.FileNameOffset, "test"));
        }
        // Every function's first instruction has a line.
        foreach (BtfExtSection<BtfFuncInfo> section in parsed.FuncInfo)
            foreach (BtfFuncInfo f in section.Records)
                Assert.Contains(parsed.LineInfo.Single(s => s.SectionName == section.SectionName).Records, l => l.Offset == f.Offset);
    }

    [Fact]
    public void CoreRelocationsCarryKindAccessStringAndRootType()
    {
        var (ext, strings, _) = Load(CoreSource);
        BtfExt parsed = BtfExt.Parse(ext, strings);
        uint task = BpftoolIds(Toolchain.Compile(CoreSource))["STRUCT task"];

        BtfExtSection<BtfCoreRelocation> section = Assert.Single(parsed.CoreRelocations);
        Assert.Equal("tp/x", section.SectionName);
        Assert.Equal(
            [(CoreRelocationKind.FieldByteOffset, "0:0"), (CoreRelocationKind.FieldByteSize, "0:2:1"), (CoreRelocationKind.FieldExists, "0:1")],
            section.Records.Select(r => (r.Kind, r.AccessString)).Order());
        Assert.All(section.Records, r => Assert.Equal(task, r.TypeId));
        Assert.All(section.Records, r => Assert.Equal(0u, r.Offset % 8));
    }

    [Theory]
    [InlineData(ElfSamples.Everything)]
    [InlineData(CoreSource)]
    public void EncodingWhatWasParsedGivesClangsBytes(string source)
    {
        var (ext, strings, _) = Load(source);
        BtfExt parsed = BtfExt.Parse(ext, strings);
        byte[] encoded = parsed.Encode(s => strings.Find(s) ?? throw new InvalidOperationException(s));
        Assert.Equal(ext, encoded);
    }

    [Fact]
    public void LargerRecordsAreReadAndTheirExtraBytesSkipped()
    {
        var (ext, strings, _) = Load(ElfSamples.Everything);
        BtfExt original = BtfExt.Parse(ext, strings);
        byte[] widened = Widen(ext, 8, 4);
        BtfExt parsed = BtfExt.Parse(widened, strings);
        Assert.Equal(Flatten(original.FuncInfo), Flatten(parsed.FuncInfo));
        Assert.Equal(Flatten(original.LineInfo), Flatten(parsed.LineInfo));
    }

    [Fact]
    public void SmallerRecordsAreRejected()
    {
        var (ext, strings, _) = Load(ElfSamples.Everything);
        uint lineOffset = BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(16));
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(32 + (int)lineOffset), 12);
        var e = Assert.Throws<BtfFormatException>(() => BtfExt.Parse(ext, strings));
        Assert.Contains("line_info", e.Message);
        Assert.Contains("record size 12 is smaller than the format's 16", e.Message);
    }

    [Fact]
    public void ARecordCountPastTheEndIsReported()
    {
        var (ext, strings, _) = Load(ElfSamples.Everything);
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(32 + 4 + 4), 1_000_000); // first func_info group's count
        var e = Assert.Throws<BtfFormatException>(() => BtfExt.Parse(ext, strings));
        Assert.Contains("1000000 records of 8 bytes run past the end of func_info", e.Message);
    }

    [Fact]
    public void TruncatedAndBitFlippedSectionsGiveAResultOrABtfError()
    {
        var (ext, strings, _) = Load(ElfSamples.Everything);
        var random = new Random(99);
        for (int round = 0; round < 3000; round++)
        {
            byte[] bytes = round % 2 == 0 ? ext.AsSpan(0, random.Next(ext.Length)).ToArray() : (byte[])ext.Clone();
            if (round % 2 == 1)
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                    bytes[random.Next(Math.Min(bytes.Length, 96))] ^= (byte)(1 << random.Next(8));
            try { BtfExt.Parse(bytes, strings); }
            catch (BtfFormatException) { }
        }
    }

    static List<string> Flatten<T>(IReadOnlyList<BtfExtSection<T>> sections) =>
        sections.SelectMany(s => s.Records.Select(r => $"{s.SectionName} {r}")).ToList();

    /// <summary>Re-encodes func_info with <paramref name="funcExtra"/> and line_info with <paramref name="lineExtra"/> junk bytes after each record.</summary>
    static byte[] Widen(byte[] ext, int funcExtra, int lineExtra)
    {
        var output = new List<byte>(ext.AsSpan(0, 32).ToArray());
        int bodyStart = 32;
        uint funcOff = BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(8)), funcLen = BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(12));
        uint lineOff = BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(16)), lineLen = BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(20));
        byte[] func = WidenKind(ext.AsSpan(bodyStart + (int)funcOff, (int)funcLen), funcExtra);
        byte[] line = WidenKind(ext.AsSpan(bodyStart + (int)lineOff, (int)lineLen), lineExtra);
        byte[] header = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)func.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)func.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)line.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)(func.Length + line.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), 0);
        return [.. header, .. func, .. line];
    }

    static byte[] WidenKind(ReadOnlySpan<byte> kind, int extra)
    {
        int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(kind);
        var output = new List<byte>();
        output.AddRange(BitConverter.GetBytes((uint)(size + extra)));
        int at = 4;
        while (at < kind.Length)
        {
            output.AddRange(kind.Slice(at, 8).ToArray());
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(kind[(at + 4)..]);
            at += 8;
            for (int i = 0; i < count; i++, at += size)
            {
                output.AddRange(kind.Slice(at, size).ToArray());
                output.AddRange(Enumerable.Repeat((byte)0xAB, extra));
            }
        }
        return [.. output];
    }
}
