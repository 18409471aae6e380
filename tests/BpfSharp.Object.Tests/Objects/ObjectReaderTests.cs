using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Btf;
using BpfSharp.Elf;
using BpfSharp.Object.Tests.Elf;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Object.Tests.Objects;

/// <summary>What the reader puts in the model, checked against the ELF (llvm-readelf's view), the source and bpftool.</summary>
public class ObjectReaderTests
{
    static ObjectSpec Read(string sample) => ObjectReader.Read(Toolchain.CompileBytes(ObjectSamples.All[sample]), sample);

    [Fact]
    public void ProgramsAreTypedNamedAndFlaggedByTheirSections()
    {
        ObjectSpec spec = Read("sections");
        ProgramDefinition P(string name) => spec.FindProgram(name)!;

        Assert.Equal((BpfProgramType.Tracepoint, "syscalls/sys_enter_openat", "tracepoint+"), (P("p_tracepoint").Type, P("p_tracepoint").AttachTarget, P("p_tracepoint").Convention));
        Assert.Equal((BpfProgramType.Kprobe, "bin:func", ProgramLoadFlags.Sleepable), (P("p_uretprobe_s").Type, P("p_uretprobe_s").AttachTarget, P("p_uretprobe_s").Flags));
        Assert.Equal((BpfProgramType.Tracing, BpfAttachType.TraceFexit, ProgramLoadFlags.Sleepable), (P("p_fexit_s").Type, P("p_fexit_s").ExpectedAttachType, P("p_fexit_s").Flags));
        Assert.Equal((BpfAttachType.XdpCpuMap, ProgramLoadFlags.XdpHasFrags), (P("p_xdp_frags_cpumap").ExpectedAttachType, P("p_xdp_frags_cpumap").Flags));
        Assert.Equal((BpfProgramType.Syscall, ProgramLoadFlags.Sleepable), (P("p_syscall").Type, P("p_syscall").Flags));
        Assert.Equal((BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetIngress), (P("p_cgroup_skb_ingress").Type, P("p_cgroup_skb_ingress").ExpectedAttachType));
        Assert.Equal((BpfProgramType.CgroupSkb, (BpfAttachType?)null), (P("p_cgroup_skb").Type, P("p_cgroup_skb").ExpectedAttachType));
        Assert.Equal((BpfProgramType.Lsm, "file_open"), (P("p_lsm").Type, P("p_lsm").AttachTarget));
        Assert.Equal(BpfProgramType.Ext, P("p_freplace").Type);
        Assert.Equal((BpfProgramType.StructOps, "test_1"), (P("p_struct_ops").Type, P("p_struct_ops").AttachTarget));

        ProgramDefinition optional = P("p_not_autoloaded");
        Assert.False(optional.Autoload);
        Assert.Equal(("tc", BpfProgramType.SchedCls), (optional.SectionName, optional.Type));
        Assert.All(spec.Programs.Where(p => p != optional), p => Assert.True(p.Autoload));
        Assert.All(spec.Programs, p => Assert.NotNull(p.Convention));
    }

    [Fact]
    public void AnUnknownSectionGivesAnUntypedProgram()
    {
        ObjectSpec spec = ObjectReader.Read(Toolchain.CompileBytes("""
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            SEC("my_own_section") int odd(void *ctx) { return 0; }
            """), "odd");
        ProgramDefinition p = Assert.Single(spec.Programs);
        Assert.Equal((BpfProgramType.Unspec, (string?)null, (BpfAttachType?)null), (p.Type, p.Convention, p.ExpectedAttachType));
    }

    [Fact]
    public void EachProgramGetsTheSubprogramsItReachesLinkedToTheirStarts()
    {
        ObjectSpec spec = Read("subprograms");
        Assert.Equal(["mainA", "mainB", "mainC"], spec.Programs.Select(p => p.Name)); // .text functions are not programs
        Assert.Equal(["mainA", "subA", "subB", "leaf", "hidden"], spec.FindProgram("mainA")!.Functions.OrderBy(f => f.Value).Select(f => f.Key));
        Assert.Equal(["mainB", "subC", "subB", "leaf"], spec.FindProgram("mainB")!.Functions.OrderBy(f => f.Value).Select(f => f.Key));
        Assert.Equal(["mainC", "subC", "subB", "leaf", "subA"], spec.FindProgram("mainC")!.Functions.OrderBy(f => f.Value).Select(f => f.Key));

        foreach (ProgramDefinition program in spec.Programs)
        {
            Instruction[] code = [.. program.Instructions];
            foreach (var (name, index) in program.Functions)
                Assert.Equal(name, code[index].Symbol);
            for (int i = 0; i < code.Length; i++)
            {
                if (!code[i].IsBpfCall) continue;
                Assert.NotNull(code[i].Reference);
                Assert.Equal(program.Functions[code[i].Reference!], InstructionList.TargetIndex(code, i));
            }
            // One func_info record per function, at its first slot, naming its BTF FUNC.
            Assert.Equal(
                program.Functions.Select(f => (InstructionList.IndexToSlot(code, f.Value), f.Key)).Order(),
                program.FuncInfo.Select(f => (f.Slot, spec.Btf![f.TypeId].Name)).Order());
        }
    }

    [Fact]
    public void AHiddenGlobalSubprogramBecomesStaticInTheBtf()
    {
        ObjectSpec spec = Read("subprograms");
        Assert.Equal(0, spec.Btf!.Find("hidden", BtfKind.Func)!.Linkage); // static
        Assert.Equal(1, spec.Btf!.Find("subA", BtfKind.Func)!.Linkage); // global
    }

    [Fact]
    public void CallbacksBecomeFunctionAddresses()
    {
        ObjectSpec spec = Read("callbacks");
        ProgramDefinition p = spec.FindProgram("use_callbacks")!;
        Instruction[] code = [.. p.Instructions];
        var addresses = Enumerable.Range(0, code.Length).Where(i => code[i].IsLoadImm64 && code[i].LoadImm64Source == LoadImm64Source.Function).ToList();
        Assert.Equal(["timer_cb", "each", "loop_body"], addresses.Select(i => code[i].Reference));
        foreach (int i in addresses)
            Assert.Equal(p.Functions[code[i].Reference!], InstructionList.TargetIndex(code, i));
        Assert.Equal(3, p.Relocations.Count(r => r.Target == RelocationTarget.CallbackAddress));
        Assert.All(p.Relocations.Where(r => r.Target == RelocationTarget.CallbackAddress), r => Assert.Equal(".text", r.SymbolSection));
    }

    [Fact]
    public void LineInfoAndSourceLocationsPointAtTheSource()
    {
        string path = Toolchain.Compile(ObjectSamples.All["subprograms"]);
        string[] lines = File.ReadAllLines(Path.ChangeExtension(path, ".c"));
        ObjectSpec spec = ObjectReader.ReadFile(path);
        foreach (ProgramDefinition program in spec.Programs)
        {
            Instruction[] code = [.. program.Instructions];
            Assert.NotEmpty(program.LineInfo);
            Assert.Equal(program.LineInfo.Select(l => l.Slot).Order(), program.LineInfo.Select(l => l.Slot)); // sorted, as the kernel wants
            foreach (LineInfoRecord line in program.LineInfo)
            {
                Assert.Equal(lines[line.Line - 1], line.LineText);
                SourceLocation? source = code[InstructionList.SlotToIndex(code, line.Slot)].Source;
                Assert.Equal((line.FileName, line.Line, line.Column), (source!.File, source.Line, source.Column));
            }
            foreach (int start in program.Functions.Values)
                Assert.NotNull(code[start].Source); // every function starts on a line
        }
    }

    [Fact]
    public void MapsGlobalsAndExternsAreReferencedByName()
    {
        ObjectSpec spec = Read("everything");
        ProgramDefinition p1 = spec.FindProgram("prog1")!;
        Instruction[] code = [.. p1.Instructions];
        Instruction map = code.Single(i => i.IsLoadImm64 && i.LoadImm64Source == LoadImm64Source.MapFd);
        Assert.Equal(("h", 0L), (map.Reference, map.Constant));
        Instruction kconfig = code.Single(i => i.IsLoadImm64 && i.Reference == ".kconfig");
        Assert.Equal((LoadImm64Source.MapValue, (int)spec.Externs.Single(e => e.Name == "CONFIG_HZ").Offset), (kconfig.LoadImm64Source, kconfig.MapValueOffset));
        // static int sg lives after g in .data: the relocation is against the section, the offset is in the instruction.
        var data = code.Where(i => i.IsLoadImm64 && i.Reference == ".data").Select(i => i.MapValueOffset).Order().ToList();
        Assert.Equal([0, 4, 4], data);
        Assert.Contains(code, i => i.IsLoadImm64 && i.Reference == ".rodata" && i.MapValueOffset == 0);
        Assert.Contains(code, i => i.IsLoadImm64 && i.Reference == ".bss" && i.MapValueOffset == 0);

        Instruction[] code2 = [.. spec.FindProgram("prog2")!.Instructions];
        Instruction kfunc = code2.Single(i => i.IsKfuncCall);
        Assert.Equal("bpf_rcu_read_lock", kfunc.Reference);
        Instruction ksym = code2.Single(i => i.IsLoadImm64 && i.LoadImm64Source == LoadImm64Source.BtfId);
        Assert.Equal("bpf_prog_active", ksym.Reference);

        Assert.Equal(
            [(RelocationTarget.Map, "h"), (RelocationTarget.CallbackAddress, ".text"), (RelocationTarget.GlobalData, "ro"), (RelocationTarget.Subprogram, "sub1"),
             (RelocationTarget.KconfigExtern, "CONFIG_HZ")],
            p1.Relocations.Where(r => r.Slot < 28).OrderBy(r => r.Slot).Select(r => (r.Target, r.Symbol)));
    }

    [Fact]
    public void GlobalDataMapsHoldTheSectionsAndTheirVariables()
    {
        byte[] bytes = Toolchain.CompileBytes(ObjectSamples.All["globals"]);
        ObjectSpec spec = ObjectReader.Read(bytes, "globals");
        ElfFile elf = ElfFile.Parse(bytes);
        ElfSymbolTable symbols = elf.GetSymbolTable();

        Assert.Equal([".bss", ".data", ".data.custom", ".rodata", ".rodata.custom"], spec.Maps.Select(m => m.Name).Order(StringComparer.Ordinal));
        foreach (MapDefinition map in spec.Maps)
        {
            ElfSection section = elf.FindSection(map.Name)!;
            Assert.Equal((MapOrigin.Data, BpfMapType.Array, 4u, (uint)section.Size, 1u), (map.Origin, map.Type, map.KeySize, map.ValueSize, map.MaxEntries));
            Assert.Equal(section.Type == ElfSectionType.NoBits ? [] : elf.GetData(section).ToArray(), map.Contents.ToArray());
            Assert.Equal(map.Name.StartsWith(".rodata"), map.IsReadOnly);
            Assert.Equal(map.IsReadOnly ? MapCreateFlags.RdonlyProg | MapCreateFlags.Mmapable : MapCreateFlags.Mmapable, map.Flags);
            Assert.Equal(spec.Btf!.Find(map.Name, BtfKind.DataSection)!.Id, map.BtfValueTypeId);
            foreach (DataVariable v in map.Variables)
            {
                ElfSymbol symbol = symbols.Find(v.Name)!.Value;
                Assert.Equal((section.Index, symbol.Value, symbol.Size), (symbol.SectionIndex, (ulong)v.Offset, (ulong)v.Size));
                bool exported = symbol.Binding == ElfSymbolBinding.Global && symbol.Visibility == ElfSymbolVisibility.Default;
                Assert.True(exported == v.IsGlobal, $"{v.Name}: IsGlobal {v.IsGlobal}");
            }
        }
        Assert.Equal(["counter", "hidden_counter", "not_exported"], spec.FindMap(".data")!.Variables.Select(v => v.Name).Order());
        Assert.Equal(["zeroed", "zeroed_static"], spec.FindMap(".bss")!.Variables.Select(v => v.Name).Order());
        Assert.Equal("GPL", spec.License);
    }

    [Fact]
    public void PrivateBssSectionsAreMapsWithFixedUpBtf()
    {
        string path = Toolchain.Compile(ObjectSamples.All["bss_custom"]);
        ObjectSpec spec = ObjectReader.ReadFile(path);
        MapDefinition hits = spec.FindMap(".bss.hits")!;
        Assert.Equal((16u, 0, MapCreateFlags.Mmapable), (hits.ValueSize, hits.Contents.Length, hits.Flags));
        Assert.Equal([("hits", 0u, 4u), ("other_hits", 8u, 8u)], hits.Variables.Select(v => (v.Name, v.Offset, v.Size)));

        // bpftool reads our fixed-up BTF and sees the size and offsets clang left at zero.
        Assert.Contains("DATASEC '.bss.hits' size=0", Toolchain.Output("bpftool", $"btf dump file {path}"));
        string raw = Toolchain.WriteTemp(spec.RawBtf.ToArray(), "bss_custom.btf");
        string dump = Toolchain.Output("bpftool", $"btf dump file {raw}");
        Assert.Contains("DATASEC '.bss.hits' size=16 vlen=2", dump);
        Assert.Contains("offset=8 size=8 (VAR 'other_hits')", dump);
    }

    [Fact]
    public void ExternsAreSortedAndLaidOutAsLibbpfDoes()
    {
        ObjectSpec spec = Read("externs");
        Assert.Equal(
            [
                ("CONFIG_HZ", ExternKind.Kconfig, true, 8u, 0u),
                ("CONFIG_BPF_JIT", ExternKind.Kconfig, true, 4u, 8u),
                ("LINUX_KERNEL_VERSION", ExternKind.Kconfig, false, 4u, 12u),
                ("CONFIG_BPF_SYSCALL", ExternKind.Kconfig, false, 1u, 16u),
                ("CONFIG_LOCALVERSION", ExternKind.Kconfig, true, 8u, 17u),
                ("bpf_prog_active", ExternKind.KsymVariable, false, 0u, 0u),
                ("bpf_rcu_read_lock", ExternKind.KsymFunction, false, 0u, 0u),
                ("bpf_rcu_read_unlock", ExternKind.KsymFunction, false, 0u, 0u),
            ],
            spec.Externs.Select(e => (e.Name, e.Kind, e.IsWeak, e.Size, e.Offset)));
        MapDefinition kconfig = spec.FindMap(".kconfig")!;
        Assert.Equal((25u, MapCreateFlags.RdonlyProg | MapCreateFlags.Mmapable, true), (kconfig.ValueSize, kconfig.Flags, kconfig.IsReadOnly));
        Assert.Equal(BtfKind.FuncProto, spec.Btf![spec.Externs.Single(e => e.Name == "bpf_rcu_read_lock").TargetTypeId].Kind);
        Assert.Equal("int", spec.Btf![spec.Externs.Single(e => e.Name == "bpf_prog_active").TargetTypeId].Name);
        Assert.Equal(2, spec.Programs[0].Instructions.Count(i => i.IsKfuncCall));
    }

    [Fact]
    public void BtfMapsCarryEveryAttribute()
    {
        ObjectSpec spec = Read("maps");
        MapDefinition M(string name) => spec.FindMap(name)!;
        BtfSpec btf = spec.Btf!;

        Assert.Equal((BpfMapType.Hash, 16u, 16u, 64u, MapCreateFlags.NoPrealloc), (M("by_pair").Type, M("by_pair").KeySize, M("by_pair").ValueSize, M("by_pair").MaxEntries, M("by_pair").Flags));
        Assert.Equal(("pair", "pair"), (btf[M("by_pair").BtfKeyTypeId].Name, btf[M("by_pair").BtfValueTypeId].Name));
        Assert.Equal((4u, 12u, 0u, 0u), (M("sized").KeySize, M("sized").ValueSize, M("sized").BtfKeyTypeId, M("sized").BtfValueTypeId));
        Assert.Equal((BpfMapType.BloomFilter, 0u, 4u, 3ul), (M("bloom").Type, M("bloom").KeySize, M("bloom").ValueSize, M("bloom").MapExtra));
        Assert.Equal((BpfMapType.RingBuf, 4096u), (M("events").Type, M("events").MaxEntries));
        Assert.Equal((BpfMapType.PerfEventArray, 0u), (M("perf").Type, M("perf").MaxEntries));
        Assert.Equal((MapPinning.ByName, (uint?)0), (M("pinned").Pinning, M("pinned").NumaNode));
        Assert.Null(M("by_pair").NumaNode);

        MapDefinition outer = M("outer");
        Assert.Equal((BpfMapType.ArrayOfMaps, 4u), (outer.Type, outer.ValueSize));
        Assert.Equal(("outer.inner", BpfMapType.Array, 2u, 4u), (outer.InnerMap!.Name, outer.InnerMap.Type, outer.InnerMap.MaxEntries, outer.InnerMap.ValueSize));
        Assert.Equal([new MapInitialValue(0, "inner1"), new MapInitialValue(2, "inner2")], outer.InitialValues);
        Assert.Empty(M("outer_hash").InitialValues);
        Assert.NotNull(M("outer_hash").InnerMap);
        Assert.All(spec.Maps, m => Assert.Equal((MapOrigin.Btf, ".maps"), (m.Origin, m.SectionName)));
    }

    [Fact]
    public void ProgArraySlotsNameTheirPrograms()
    {
        ObjectSpec spec = Read("everything");
        Assert.Equal([new MapInitialValue(1, "prog3")], spec.FindMap("jt2")!.InitialValues);
        Assert.Empty(spec.FindMap("jt")!.InitialValues);
    }

    [Fact]
    public void StructOpsMapsPointTheirMembersAtPrograms()
    {
        byte[] bytes = Toolchain.CompileBytes(ObjectSamples.All["struct_ops"]);
        ObjectSpec spec = ObjectReader.Read(bytes, "struct_ops");
        MapDefinition dummy = Assert.Single(spec.Maps);
        Assert.Equal((MapOrigin.StructOps, BpfMapType.StructOps, 4u, 24u, 1u, MapCreateFlags.None, true),
            (dummy.Origin, dummy.Type, dummy.KeySize, dummy.ValueSize, dummy.MaxEntries, dummy.Flags, dummy.AutoCreate));
        Assert.Equal("bpf_dummy_ops", spec.Btf![dummy.BtfValueTypeId].Name);
        Assert.Equal([new MapInitialValue(0, "test_1"), new MapInitialValue(1, "test_2")], dummy.InitialValues);
        Assert.Equal(24, dummy.Contents.Length);
        Assert.All(spec.Programs, p => Assert.Equal(BpfProgramType.StructOps, p.Type));

        // libbpf 1.1 opens it the same way (it crashes in gen-loader mode on struct_ops, so only opened).
        Libbpf.View libbpf = Libbpf.Open(bytes, load: false);
        Libbpf.Map theirs = Assert.Single(libbpf.Maps);
        // (libbpf 1.1 leaves the value type id 0 until load, where it takes the kernel's; newer libbpf records the local struct, as we do.)
        Assert.Equal(("dummy", 26u, 4u, 24u, 1u, 0u), (theirs.Name, theirs.Type, theirs.KeySize, theirs.ValueSize, theirs.MaxEntries, theirs.Flags));
        Assert.Equal(libbpf.Programs.Select(p => (p.Name, p.Type)), spec.Programs.Select(p => (p.Name, (uint)p.Type)));
    }

    [Fact]
    public void LinkAndOptionalStructOpsSections()
    {
        ObjectSpec spec = Read("struct_ops_link");
        MapDefinition linked = spec.FindMap("linked")!, optional = spec.FindMap("optional")!;
        Assert.Equal((MapCreateFlags.Link, true, ".struct_ops.link"), (linked.Flags, linked.AutoCreate, linked.SectionName));
        Assert.Equal((MapCreateFlags.None, false, "?.struct_ops"), (optional.Flags, optional.AutoCreate, optional.SectionName));
        Assert.Equal([new MapInitialValue(1, "test_2"), new MapInitialValue(2, "test_sleepable")], linked.InitialValues);
        Assert.Equal(ProgramLoadFlags.Sleepable, spec.FindProgram("test_sleepable")!.Flags);
    }

    [Fact]
    public void LegacyMapsComeFromBpfMapDefRecords()
    {
        ObjectSpec spec = Read("legacy_maps");
        Assert.Equal(
            [("counts", BpfMapType.Hash, 4u, 8u, 128u, MapCreateFlags.NoPrealloc), ("slots", BpfMapType.Array, 4u, 16u, 4u, MapCreateFlags.None)],
            spec.Maps.Select(m => (m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags)));
        Assert.All(spec.Maps, m => Assert.Equal((MapOrigin.Legacy, "maps"), (m.Origin, m.SectionName)));
        Assert.Equal(["counts", "slots"], spec.Programs[0].Instructions.Where(i => i.IsLoadImm64).Select(i => i.Reference));
    }

    [Fact]
    public void AnObjectWithoutBtfStillHasProgramsAndGlobals()
    {
        byte[] bytes = Toolchain.CompileBytes(ObjectSamples.All["legacy_maps"] + "int seen; SEC(\"socket\") int more(void *ctx) { return ++seen; }", "-g0");
        ObjectSpec spec = ObjectReader.Read(bytes, "nobtf");
        Assert.Null(spec.Btf);
        Assert.True(spec.RawBtf.IsEmpty);
        Assert.Equal(["use", "more"], spec.Programs.Select(p => p.Name));
        Assert.All(spec.Programs, p => Assert.Empty(p.FuncInfo));
        MapDefinition bss = spec.FindMap(".bss")!;
        Assert.Equal((0u, MapCreateFlags.None), (bss.BtfValueTypeId, bss.Flags)); // not mmapable without BTF, as in libbpf
        Assert.Equal([new DataVariable("seen", 0, 4, 0, true)], bss.Variables);
        LibbpfComparisonWithoutLegacyMaps(bytes, spec);
    }

    /// <summary>libbpf 1.1 refuses legacy maps, so only the BTF-less global data and programs are compared, after open.</summary>
    static void LibbpfComparisonWithoutLegacyMaps(byte[] bytes, ObjectSpec spec)
    {
        Libbpf.View libbpf = Libbpf.Open(bytes, load: false);
        Assert.NotEqual(0, libbpf.OpenError); // "legacy map definitions in 'maps' section are not supported by libbpf v1.0+"
        Assert.Equal(2, spec.Maps.Count(m => m.Origin == MapOrigin.Legacy));
    }

    [Fact]
    public void TheObjectIsNamedAndItsSectionsSummarised()
    {
        string path = Toolchain.Compile(ObjectSamples.All["everything"]);
        string copy = Path.Combine(Path.GetDirectoryName(path)!, "my_prog.bpf.o");
        File.Copy(path, copy, overwrite: true);
        ObjectSpec spec = ObjectReader.ReadFile(copy);
        Assert.Equal("my_prog", spec.Name);
        SectionRole Role(string name) => spec.Sections.Single(s => s.Name == name).Role;
        Assert.Equal(
            [SectionRole.Text, SectionRole.Program, SectionRole.Maps, SectionRole.Data, SectionRole.ReadOnlyData, SectionRole.Bss, SectionRole.License, SectionRole.Btf, SectionRole.BtfExt, SectionRole.SymbolTable, SectionRole.Relocations],
            [Role(".text"), Role("xdp"), Role(".maps"), Role(".data"), Role(".rodata"), Role(".bss"), Role("license"), Role(".BTF"), Role(".BTF.ext"), Role(".symtab"), Role(".relxdp")]);
        Assert.Empty(spec.Warnings);
    }
}

public class ObjectReaderCoreTests
{
    [Fact]
    public void CoreRelocationsFollowTheirInstructionsIntoTheLinkedProgram()
    {
        byte[] bytes = Toolchain.CompileBytes(ObjectSamples.All["core"]);
        ObjectSpec spec = ObjectReader.Read(bytes, "core");
        ProgramDefinition program = Assert.Single(spec.Programs);
        Instruction[] code = [.. program.Instructions];

        ElfFile elf = ElfFile.Parse(bytes);
        var ext = BpfSharp.Btf.Ext.BtfExt.Parse(elf.GetData(elf.FindSection(".BTF.ext")!), BpfSharp.Btf.Ext.BtfStringSection.FromBtf(elf.GetData(elf.FindSection(".BTF")!)));
        ElfSymbol sub = elf.GetSymbolTable().Find("nested_size")!.Value;
        int subSlot = InstructionList.IndexToSlot(code, program.Functions["nested_size"]);
        var expected = ext.CoreRelocations.SelectMany(s => s.Records.Select(r =>
                (Slot: s.SectionName == ".text" ? (int)((r.Offset - sub.Value) / 8) + subSlot : (int)(r.Offset / 8), r.TypeId, r.AccessString, r.Kind)))
            .Order().ToList();
        Assert.Equal(expected, program.CoreRelocations.Select(c => (c.Slot, c.TypeId, c.AccessString, c.Kind)).Order());

        Assert.Contains(program.CoreRelocations, c => c.Kind == CoreRelocationKind.FieldByteSize && c.AccessString == "0:2:1" && c.Slot >= subSlot);
        Assert.Contains(program.CoreRelocations, c => c.Kind == CoreRelocationKind.TypeExists && spec.Btf![c.TypeId].Name == "task___old");
        Assert.All(program.CoreRelocations, c => Assert.True(InstructionList.SlotToIndex(code, c.Slot) >= 0));
    }
}
