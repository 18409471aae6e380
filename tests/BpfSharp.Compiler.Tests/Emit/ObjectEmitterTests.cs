using System.Buffers.Binary;
using BpfSharp.Btf;
using BpfSharp.Compiler.Diagnostics;
using BpfSharp.Compiler.Emit;
using BpfSharp.Maps;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Compiler.Tests.Emit;

public class ObjectEmitterTests
{
    static byte[] EmitSample(bool withKfuncs = true)
    {
        var (module, functions) = SampleModule.Build(withKfuncs);
        var bag = new DiagnosticBag();
        byte[]? elf = ObjectEmitter.Emit(module, functions, bag);
        Assert.Empty(bag.ToList());
        Assert.NotNull(elf);
        if (Environment.GetEnvironmentVariable("BPFSHARP_EMIT_KEEP") is { Length: > 0 } keep) File.WriteAllBytes(keep, elf); // for manual inspection
        return elf;
    }

    [Fact]
    public void The_object_reads_back_with_its_maps_globals_programs_and_line_info()
    {
        ObjectSpec spec = ObjectReader.Read(EmitSample(), "sample");

        Assert.Equal("GPL", spec.License);
        ProgramDefinition prog = Assert.Single(spec.Programs);
        Assert.Equal(("Count", "xdp", Abi.BpfProgramType.Xdp), (prog.Name, prog.SectionName, prog.Type));
        // The program and the three subprograms it reaches (call, nested call, callback), each with func_info.
        Assert.Equal(["AddOne", "Count", "Identity", "OnLoop"], prog.Functions.Keys.Order());
        Assert.Equal(4, prog.FuncInfo.Count);
        Assert.All(prog.FuncInfo, f => Assert.Equal(BtfKind.Func, spec.Btf![f.TypeId].Kind));
        Assert.Contains(prog.LineInfo, l => l is { FileName: SampleModule.File, Line: 11, Column: 9, LineText: "        statement 11;" });
        Assert.Contains(prog.LineInfo, l => l is { Line: 46 }); // Identity, linked after AddOne
        Assert.Equal(prog.LineInfo.Count, prog.LineInfo.Select(l => l.Slot).Distinct().Count());

        MapDefinition counts = spec.FindMap("Counts")!;
        Assert.Equal((16u, 32u, 16u), (counts.KeySize, counts.ValueSize, counts.MaxEntries));
        Assert.Equal("Pair_u32_u64", spec.Btf![counts.BtfKeyTypeId].Name);
        Assert.Equal("Stats", spec.Btf[counts.BtfValueTypeId].Name);

        var (rodata, target) = spec.FindVariable("Target")!.Value;
        Assert.Equal((".rodata", 0u, 4u), (rodata.SectionName, target.Offset, target.Size));
        Assert.Equal(SampleModule.Target, BinaryPrimitives.ReadUInt32LittleEndian(rodata.Contents.Span));
        var (bss, last) = spec.FindVariable("Last")!.Value;
        Assert.Equal((".bss", 8u, 16u), (bss.SectionName, last.Offset, last.Size));
        Assert.True(spec.FindVariable("Result")!.Value.Variable.IsGlobal);
        Assert.Contains(spec.Externs, e => e.Name == "bpf_rcu_read_lock");
    }

    [Fact]
    public void Btf_describes_keys_and_values_completely_with_cpp_free_encodings()
    {
        BtfSpec btf = ObjectReader.Read(EmitSample(), "sample").Btf!;

        BtfType pair = btf.Find("Pair_u32_u64", BtfKind.Struct)!;
        Assert.Equal(16u, pair.Size);
        Assert.Equal([("A", 0u), ("B", 64u)], pair.Members.Select(m => (m.Name, m.BitOffset)));

        BtfType stats = btf.Find("Stats", BtfKind.Struct)!;
        Assert.Equal(["Count", "Flag", "Letter", "Kind", "Name", "Slots", "Mode"], stats.Members.Select(m => m.Name));
        Assert.Equal([0u, 64u, 80u, 96u, 104u, 128u, 192u], stats.Members.Select(m => m.BitOffset));
        BtfType Member(string name) => btf[stats.Members.Single(m => m.Name == name).TypeId];
        Assert.True(Member("Flag") is { Kind: BtfKind.Int, Size: 1, IsBool: true });
        Assert.True(Member("Letter") is { Kind: BtfKind.Int, Size: 2, IsSigned: false, IsChar: false });
        Assert.True(Member("Kind") is { Kind: BtfKind.Enum, Name: "Color", Size: 1, IsSignedEnum: false });
        Assert.Equal([("Red", 0L), ("Green", 1L), ("Blue", 200L)], Member("Kind").EnumValues.Select(v => (v.Name, v.Value)));
        Assert.True(Member("Mode") is { Kind: BtfKind.Enum64, Name: "Mode", Size: 8, IsSignedEnum: true });
        Assert.Contains(Member("Mode").EnumValues, v => v is { Name: "Broken", Value: -1 });
        Assert.True(Member("Name") is { Kind: BtfKind.Array, ElementCount: 3 });
        BtfType slots = Member("Slots");
        Assert.True(slots is { Kind: BtfKind.Struct, Name: "Slots2", Size: 8 });
        Assert.True(btf[Assert.Single(slots.Members).TypeId] is { Kind: BtfKind.Array, ElementCount: 2 });

        // Nothing a map or global uses is a forward declaration; every pointer is anonymous.
        Assert.DoesNotContain(btf.Types, t => t.Kind == BtfKind.Forward);
        Assert.All(btf.Types.Where(t => t.Kind == BtfKind.Pointer), t => Assert.Equal("", t.Name));

        BtfType func = btf.Find("OnLoop", BtfKind.Func)!;
        Assert.Equal(BtfLinkage.Static, func.LinkageKind);
        Assert.Equal(["index", "context"], btf[func.TypeId].Parameters.Select(p => p.Name));
        Assert.Equal(BtfLinkage.Global, btf.Find("Count", BtfKind.Func)!.LinkageKind);
        // The reader applies libbpf's .ksyms fix-ups; the object itself declares the kfunc extern.
        Assert.Equal(BtfLinkage.Extern, RawBtf(EmitSample()).Find("bpf_rcu_read_lock", BtfKind.Func)!.LinkageKind);
    }

    static BtfSpec RawBtf(byte[] elf)
    {
        var file = Elf.ElfFile.Parse(elf);
        return BtfSpec.Parse(file.GetData(file.FindSection(".BTF")!).ToArray());
    }

    [Fact]
    public void Our_loader_runs_the_program_which_updates_the_map_and_the_globals()
    {
        KernelGate.Require();
        using BpfObject obj = BpfObject.Load(EmitSample(), "sample");

        Assert.Equal(2u, obj.Program("Count").TestRun(new byte[64])); // XDP_PASS

        byte[] key = new byte[16], value = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(key, SampleModule.KeyA);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), SampleModule.KeyB);
        Assert.True(obj.Map("Counts").TryLookup(key, value));
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(value));
        Assert.Equal((1, 'Z', 1, 'a'), (value[8], (char)BinaryPrimitives.ReadUInt16LittleEndian(value.AsSpan(10)), value[12], (char)value[13]));
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(20)));
        Assert.Equal(-1L, BinaryPrimitives.ReadInt64LittleEndian(value.AsSpan(24)));

        Assert.Equal(1UL, obj.GetGlobal<ulong>("Seen"));
        Assert.Equal(SampleModule.Target + 1UL, obj.GetGlobal<ulong>("Result"));
        Assert.Equal(1u, obj.GetGlobal<uint>("Loops"));
        Assert.Equal(SampleModule.Target + 1UL, obj.GetGlobal<Int128>("Last") >> 64); // Pair.B, written at offset 8
    }

    [Fact]
    public void Libbpf_loads_the_object_and_bpftool_shows_the_map_value_fields_after_an_update()
    {
        KernelGate.RequireBpftool();
        string file = Path.Combine(Path.GetTempPath(), $"bpfsharp_emit_{Environment.ProcessId}_{Guid.NewGuid():N}.bpf.o");
        File.WriteAllBytes(file, EmitSample());
        using var pins = new KernelGate.PinDirectory();
        string progs = Path.Combine(pins.Path, "progs"), maps = Path.Combine(pins.Path, "maps");
        try
        {
            var load = KernelGate.Run("bpftool", "prog", "loadall", file, progs, "pinmaps", maps);
            Assert.True(load.ExitCode == 0, load.Output);

            string packet = Path.Combine(Path.GetTempPath(), $"bpfsharp_emit_pkt_{Guid.NewGuid():N}");
            File.WriteAllBytes(packet, new byte[64]);
            var run = KernelGate.Run("bpftool", "prog", "run", "pinned", Path.Combine(progs, "Count"), "data_in", packet, "repeat", "1");
            File.Delete(packet);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("Return value: 2", run.Output);

            var dump = KernelGate.Run("bpftool", "map", "dump", "pinned", Path.Combine(maps, "Counts"));
            Assert.True(dump.ExitCode == 0, dump.Output);
            foreach (string expected in new[] { "\"A\": 7", "\"B\": 9", "\"Count\": 1", "\"Flag\": true", "\"Letter\": 90", "\"Kind\": \"Green\"", "\"Mode\": \"Broken\"", "\"Slots\"" })
                Assert.Contains(expected, dump.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Bpftool_dumps_the_key_and_value_structs_in_full()
    {
        KernelGate.RequireBpftool();
        string file = Path.Combine(Path.GetTempPath(), $"bpfsharp_emit_{Environment.ProcessId}_{Guid.NewGuid():N}.bpf.o");
        File.WriteAllBytes(file, EmitSample());
        try
        {
            var c = KernelGate.Run("bpftool", "btf", "dump", "file", file, "format", "c");
            Assert.True(c.ExitCode == 0, c.Output);
            Assert.Contains("struct Pair_u32_u64 {", c.Output);
            Assert.Contains("struct Stats {", c.Output);
            Assert.Contains("enum Color", c.Output);
            Assert.Contains("_Bool Flag;", c.Output);
            Assert.Contains("unsigned char Name[3];", c.Output);
            Assert.Contains("unsigned int _element0[2];", c.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
