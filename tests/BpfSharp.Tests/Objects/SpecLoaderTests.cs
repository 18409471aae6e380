using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.Objects;

/// <summary>
/// The loader on hand-built object specs (no ELF): map creation, global data, pinning, slots, autoload and the
/// errors of each step, checked against what the kernel then reports.
/// </summary>
public class SpecLoaderTests
{
    static readonly byte[] Frame = new byte[64];

    static MapDefinition Rodata(uint value) => new()
    {
        Name = ".rodata", Origin = MapOrigin.Data, Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1,
        SectionName = ".rodata", Contents = BitConverter.GetBytes((ulong)value),
        Variables = [new DataVariable("answer", 0, 4, 0, IsGlobal: true), new DataVariable("hidden", 4, 4, 0, IsGlobal: false)],
    };

    static MapDefinition Bss() => new()
    {
        Name = ".bss", Origin = MapOrigin.Data, Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1,
        SectionName = ".bss", Variables = [new DataVariable("seen", 0, 8, 0, IsGlobal: true)],
    };

    /// <summary>return answer (from .rodata) after adding 1 to seen (in .bss).</summary>
    static ProgramDefinition ReturnsAnswer(string name = "answer_prog") => new()
    {
        Name = name, SectionName = "socket", Type = BpfProgramType.SocketFilter,
        Instructions = new Assembler()
            .LoadMapValueByName(Register.R1, ".bss", 0)
            .Mov(Register.R2, 1)
            .Emit(Instruction.Atomic(AtomicOp.Add, MemorySize.DoubleWord, Register.R1, 0, Register.R2))
            .LoadMapValueByName(Register.R1, ".rodata", 0)
            .Load(MemorySize.Word, Register.R0, Register.R1, 0)
            .Exit()
            .Build(),
    };

    static ObjectSpec Spec(string name, IReadOnlyList<MapDefinition> maps, params ProgramDefinition[] programs) =>
        new() { Name = name, License = "GPL", Maps = maps, Programs = programs };

    [Fact]
    public void GlobalDataIsWrittenFrozenAndNamedLikeLibbpf()
    {
        Kernel.Require();
        using var obj = BpfObject.Load(Spec("globals_test", [Rodata(7), Bss()], ReturnsAnswer()));

        Assert.Equal(7u, obj.Program("answer_prog").TestRun(Frame));
        Assert.Equal(7u, obj.Program("answer_prog").TestRun(Frame));
        MapInfo rodata = obj.Map(".rodata").GetInfo();
        Assert.Equal("globals_.rodata", rodata.Name); // 8 characters of the object name, then the section
        Assert.Equal(MapCreateFlags.RdonlyProg | MapCreateFlags.Mmapable, rodata.Flags);
        Assert.Equal("globals_.bss", obj.Map(".bss").GetInfo().Name);
        // frozen: user space can no longer write .rodata
        var e = Assert.Throws<BpfSyscallException>(() => obj.Map(".rodata").Update(new byte[4], new byte[8]));
        Assert.Equal(Errno.EPERM, e.Errno);
        Span<byte> bss = stackalloc byte[8];
        Assert.True(obj.Map(".bss").TryLookup(new byte[4], bss));
        Assert.Equal(2ul, BitConverter.ToUInt64(bss));
    }

    [Fact]
    public void SetGlobalChangesRodataBeforeLoad()
    {
        Kernel.Require();
        using var obj = BpfObject.Load(Spec("setglobal", [Rodata(7), Bss()], ReturnsAnswer()),
            new ObjectLoadOptions().SetGlobal("answer", 1234u));
        Assert.Equal(1234u, obj.Program("answer_prog").TestRun(Frame));
    }

    [Fact]
    public void SetGlobalOfTheWrongSizeNamesTheVariable()
    {
        Kernel.Require();
        var e = Assert.Throws<BpfObjectException>(() => BpfObject.Load(Spec("wrongsize", [Rodata(7), Bss()], ReturnsAnswer()),
            new ObjectLoadOptions().SetGlobal("answer", 1234ul)));
        Assert.Contains("global 'answer'", e.Message);
        Assert.Contains("is 4 bytes", e.Message);
    }

    [Fact]
    public void StaticOnlySectionIsNotMmapable()
    {
        Kernel.Require();
        MapDefinition data = Rodata(3) with { Name = ".data", SectionName = ".data", Variables = [new DataVariable("x", 0, 4, 0, IsGlobal: false)] };
        var program = new ProgramDefinition
        {
            Name = "p", SectionName = "socket", Type = BpfProgramType.SocketFilter,
            Instructions = new Assembler().LoadMapValueByName(Register.R1, ".data", 0).Load(MemorySize.Word, Register.R0, Register.R1, 0).Exit().Build(),
        };
        using var obj = BpfObject.Load(Spec("staticdata", [data], program));
        Assert.Equal(MapCreateFlags.None, obj.Map(".data").GetInfo().Flags);
        Assert.Equal(3u, obj.Program("p").TestRun(Frame));
    }

    [Fact]
    public void PinnedMapIsReusedAndAnIncompatibleOneIsRefused()
    {
        Kernel.Require();
        string dir = Path.Combine("/sys/fs/bpf", Kernel.UniqueName("objpin"));
        Directory.CreateDirectory(dir);
        try
        {
            MapDefinition counts = new()
            {
                Name = "counts", Origin = MapOrigin.Btf, Type = BpfMapType.Hash, KeySize = 4, ValueSize = 8, MaxEntries = 16,
                Pinning = MapPinning.ByName,
            };
            var options = new ObjectLoadOptions { PinPath = dir };
            uint firstId;
            using (var first = BpfObject.Load(Spec("pin1", [counts]), options))
            {
                firstId = first.Map("counts").GetInfo().Id;
                first.Map<HashMap<uint, ulong>>("counts").Update(5, 50);
            }
            Assert.True(File.Exists(Path.Combine(dir, "counts")), "the pin outlives the object");

            using (var second = BpfObject.Load(Spec("pin2", [counts]), options))
            {
                Assert.Equal(firstId, second.Map("counts").GetInfo().Id);
                Assert.Equal(50ul, second.Map<HashMap<uint, ulong>>("counts")[5]);
            }

            var e = Assert.Throws<BpfObjectException>(() =>
                BpfObject.Load(Spec("pin3", [counts]), new ObjectLoadOptions { PinPath = dir }.SetMaxEntries("counts", 32)));
            Assert.Contains("map 'counts'", e.Message);
            Assert.Contains("max_entries 16 ≠ 32", e.Message);
        }
        finally
        {
            foreach (string f in Directory.GetFiles(dir)) File.Delete(f);
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void FailedLoadRemovesThePinsItMade()
    {
        Kernel.Require();
        string dir = Path.Combine("/sys/fs/bpf", Kernel.UniqueName("objpinfail"));
        Directory.CreateDirectory(dir);
        try
        {
            MapDefinition pinned = new()
            {
                Name = "kept", Origin = MapOrigin.Btf, Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Pinning = MapPinning.ByName,
            };
            var bad = new ProgramDefinition
            {
                Name = "bad", SectionName = "socket", Type = BpfProgramType.SocketFilter,
                Instructions = new Assembler().LoadMapByName(Register.R1, "missing").Mov(Register.R0, 0).Exit().Build(),
            };
            var e = Assert.Throws<BpfObjectException>(() => BpfObject.Load(Spec("pinfail", [pinned], bad), new ObjectLoadOptions { PinPath = dir }));
            Assert.Contains("program 'bad'", e.Message);
            Assert.Contains("map 'missing'", e.Message);
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            foreach (string f in Directory.GetFiles(dir)) File.Delete(f);
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void ProgArraySlotsAreFilledAfterPrograms()
    {
        Kernel.Require();
        MapDefinition jumps = new()
        {
            Name = "jumps", Origin = MapOrigin.Btf, Type = BpfMapType.ProgArray, KeySize = 4, ValueSize = 4, MaxEntries = 2,
            InitialValues = [new MapInitialValue(1, "tail")],
        };
        var entry = new ProgramDefinition
        {
            Name = "entry", SectionName = "socket", Type = BpfProgramType.SocketFilter,
            Instructions = new Assembler()
                .LoadMapByName(Register.R2, "jumps").Mov(Register.R3, 1).Call((int)BpfHelperId.TailCall)
                .Mov(Register.R0, 1).Exit().Build(),
        };
        var tail = new ProgramDefinition
        {
            Name = "tail", SectionName = "socket", Type = BpfProgramType.SocketFilter,
            Instructions = new Assembler().Mov(Register.R0, 42).Exit().Build(),
        };
        using var obj = BpfObject.Load(Spec("tailcalls", [jumps], entry, tail));
        Assert.Equal(42u, obj.Program("entry").TestRun(Frame));
    }

    [Fact]
    public void AutoloadOffSkipsAProgramAndSetAutoloadOverrides()
    {
        Kernel.Require();
        ProgramDefinition optional = ReturnsAnswer("optional") with { Autoload = false };
        ObjectSpec spec = Spec("autoload", [Rodata(9), Bss()], ReturnsAnswer(), optional);

        using (var obj = BpfObject.Load(spec))
        {
            Assert.Equal(["answer_prog"], obj.Programs.Keys);
            var e = Assert.Throws<KeyNotFoundException>(() => obj.Program("optional"));
            Assert.Contains("autoload is off", e.Message);
        }
        using (var obj = BpfObject.Load(spec, new ObjectLoadOptions().SetAutoload("optional", true).SetAutoload("answer_prog", false)))
            Assert.Equal(["optional"], obj.Programs.Keys);
    }

    [Fact]
    public void VerifierErrorNamesTheProgramAndSourceLine()
    {
        Kernel.Require();
        var program = new ProgramDefinition
        {
            Name = "reads_r5", SectionName = "socket", Type = BpfProgramType.SocketFilter,
            Instructions = new Assembler().Mov(Register.R0, 0).Mov(Register.R0, Register.R5).Exit().Build(),
            LineInfo = [new LineInfoRecord(0, "prog.bpf.c", "int x = 0;", 10, 5), new LineInfoRecord(1, "prog.bpf.c", "return uninitialised;", 11, 5)],
        };
        var e = Assert.Throws<BpfVerifierException>(() => BpfObject.Load(Spec("verifier", [], program)));
        Assert.Equal("reads_r5", e.ProgramName);
        Assert.Equal("prog.bpf.c:11: return uninitialised;", e.SourceLocation);
        Assert.Contains("R5 !read_ok", e.Message);
    }

    [Fact]
    public void UnknownNamesInOptionsAreRefused()
    {
        Kernel.Require();
        ObjectSpec spec = Spec("opts", [Rodata(1), Bss()], ReturnsAnswer());
        Assert.Contains("SetMaxEntries", Assert.Throws<BpfObjectException>(() => BpfObject.Load(spec, new ObjectLoadOptions().SetMaxEntries("nope", 1))).Message);
        Assert.Contains("SetAutoload", Assert.Throws<BpfObjectException>(() => BpfObject.Load(spec, new ObjectLoadOptions().SetAutoload("nope", true))).Message);
        Assert.Contains("SetGlobal", Assert.Throws<BpfObjectException>(() => BpfObject.Load(spec, new ObjectLoadOptions().SetGlobal("nope", 1))).Message);
    }

    [Fact]
    public void DisposeClosesEveryFd()
    {
        Kernel.Require();
        int before = Directory.GetFiles("/proc/self/fd").Length;
        for (int i = 0; i < 50; i++)
            using (BpfObject.Load(Spec("fds", [Rodata(1), Bss()], ReturnsAnswer()))) { }
        int after = Directory.GetFiles("/proc/self/fd").Length;
        Assert.InRange(after - before, -5, 5);
    }
}

public class GlobalAccessTests
{
    [Fact]
    public void GlobalsReadAndWriteWhileLoaded()
    {
        Kernel.Require();
        MapDefinition bss = new()
        {
            Name = ".bss", Origin = MapOrigin.Data, Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, SectionName = ".bss",
            Variables = [new DataVariable("limit", 0, 4, 0, true), new DataVariable("hits", 4, 4, 0, true)],
        };
        var program = new ProgramDefinition
        {
            // hits += 1; return limit;
            Name = "p", SectionName = "socket", Type = BpfProgramType.SocketFilter,
            Instructions = new Assembler()
                .LoadMapValueByName(Register.R1, ".bss", 0)
                .Mov(Register.R2, 1)
                .Emit(Instruction.Atomic(AtomicOp.Add, MemorySize.Word, Register.R1, 4, Register.R2))
                .Load(MemorySize.Word, Register.R0, Register.R1, 0)
                .Exit().Build(),
        };
        using var obj = BpfObject.Load(new ObjectSpec { Name = "globalrw", License = "GPL", Maps = [bss], Programs = [program] });
        obj.SetGlobal("limit", 77u);
        Assert.Equal(77u, obj.Program("p").TestRun(new byte[64]));
        Assert.Equal(1u, obj.GetGlobal<uint>("hits"));
        Assert.Throws<ArgumentException>(() => obj.GetGlobal<ulong>("hits"));
        Assert.Throws<KeyNotFoundException>(() => obj.GetGlobal<uint>("nope"));
    }
}
