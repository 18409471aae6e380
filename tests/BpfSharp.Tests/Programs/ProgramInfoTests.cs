using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Programs;

/// <summary>
/// BPF stats are global to the kernel: these tests must not run beside one another (a test asserting counters stay
/// at 0 would see another's BpfStats).
/// </summary>
[CollectionDefinition(nameof(BpfStatsCollection), DisableParallelization = true)]
public class BpfStatsCollection;

[Collection(nameof(BpfStatsCollection))]
public class ProgramInfoTests
{
    static Instruction[] LookupProgram(BpfMap map) => new Assembler()
        .StoreImmediate(MemorySize.Word, R10, -4, 0)
        .LoadMapFd(R1, map.Fd.RawValue)
        .Mov(R2, R10).Add(R2, -4)
        .Call((int)BpfHelperId.MapLookupElem)
        .Mov(R0, 2)
        .Exit()
        .Build();

    [Fact]
    public void GetInfoReportsWhatWasLoaded()
    {
        Kernel.Require();
        using var map = ArrayMap<ulong>.Create(1, "info_map");
        Instruction[] program = LookupProgram(map.Map);
        using var first = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "info_prog", Instructions = program });
        using var second = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "info_prog2", Instructions = program });

        ProgramInfo a = first.GetInfo(), b = second.GetInfo();

        Assert.True(a.Id > 0);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Matches("^[0-9a-f]{16}$", a.Tag);
        Assert.Equal(a.Tag, b.Tag);                     // the tag hashes the instructions, not the name
        Assert.Equal("info_prog", a.Name);
        Assert.Equal(BpfProgramType.Xdp, a.Type);
        Assert.True(a.XlatedLength > 0 && a.XlatedLength % 8 == 0);
        Assert.True(a.JitedLength > 0, "bpf_jit_enable is 1 on this kernel");
        Assert.Equal([map.Map.GetInfo().Id], a.MapIds);
        Assert.True(a.GplCompatible);
        Assert.True(a.VerifiedInstructions > 0);
        Assert.Equal(0u, a.CreatedByUid);               // root

        using var other = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Instructions = new Assembler().Mov(R0, 1).Exit().Build() });
        Assert.NotEqual(a.Tag, other.GetInfo().Tag);
        Assert.Empty(other.GetInfo().MapIds);
    }

    [Fact]
    public void XlatedInstructionsOfAStraightLineProgramDecodeToTheOriginal()
    {
        Kernel.Require();
        Instruction[] program = new Assembler()
            .Mov(R0, 1)
            .Mov(R1, 5)
            .Alu(AluOp.Mul, R0, R1)
            .Alu32(AluOp.Xor, R1, 0x55)
            .Alu(AluOp.Add, R0, R1)
            .Exit()
            .Build();
        using var p = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = program });

        Instruction[] xlated = p.GetXlatedInstructions();

        Assert.Equal(p.GetInfo().XlatedLength / 8, (uint)xlated.Length);
        Assert.Equal(InstructionEncoder.Encode(program), InstructionEncoder.Encode(xlated));
    }

    [Fact]
    public void RunStatisticsCountOnlyWhileStatsAreEnabled()
    {
        Kernel.Require();
        Instruction[] program = new Assembler().Mov(R0, 2).Exit().Build();
        using var p = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Name = "stats", Instructions = program });
        byte[] frame = new byte[64];

        // Without stats the kernel does not count. Stats are kernel-wide: another process may have them on, which
        // a fresh probe program shows (/proc/sys/kernel/bpf_stats_enabled reflects only the sysctl, not BPF_ENABLE_STATS fds).
        bool enabledElsewhere = StatsAreOn();
        p.TestRun(new TestRunOptions { Data = frame, Repeat = 100 });
        ProgramInfo before = p.GetInfo();
        if (!enabledElsewhere && !StatsAreOn())
        {
            Assert.Equal(0ul, before.RunCount);
            Assert.Equal(0ul, before.RunTimeNs);
        }

        using (BpfStats.Enable())
        {
            Assert.True(StatsAreOn());
            p.TestRun(new TestRunOptions { Data = frame, Repeat = 500 });
            ProgramInfo during = p.GetInfo();
            Assert.Equal(before.RunCount + 500, during.RunCount);
            Assert.True(during.RunTimeNs > before.RunTimeNs);
        }

        if (!StatsAreOn())
        {
            ProgramInfo after = p.GetInfo();
            p.TestRun(new TestRunOptions { Data = frame, Repeat = 100 });
            Assert.Equal(after.RunCount, p.GetInfo().RunCount);   // disposing the stats fd stops counting
        }
    }

    /// <summary>Whether the kernel counts runs right now: a new program's run count after one test run.</summary>
    static bool StatsAreOn()
    {
        using var probe = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.Xdp, Instructions = new Assembler().Mov(R0, 2).Exit().Build() });
        probe.TestRun(new byte[64]);
        return probe.GetInfo().RunCount > 0;
    }

    [Fact]
    public void EnumerateFromIdPinOpenPinnedUnpin()
    {
        Kernel.Require();
        Instruction[] program = new Assembler().Mov(R0, 1).Exit().Build();
        using var p = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Name = "by_id", Instructions = program });
        ProgramInfo info = p.GetInfo();

        Assert.Contains(info.Id, BpfProgram.EnumerateIds());

        using (BpfProgram byId = BpfProgram.FromId(info.Id))
        {
            Assert.NotEqual(p.Fd.RawValue, byId.Fd.RawValue);
            Assert.Equal("by_id", byId.Name);
            Assert.Equal(BpfProgramType.SocketFilter, byId.Type);
            Assert.Equal(info.Tag, byId.GetInfo().Tag);
        }

        string path = $"/sys/fs/bpf/{Kernel.UniqueName("prog_pin")}";
        p.Pin(path);
        try
        {
            Assert.True(File.Exists(path));
            using BpfProgram pinned = BpfProgram.OpenPinned(path);
            Assert.Equal(info.Id, pinned.GetInfo().Id);
            Assert.Equal(1u, pinned.TestRun(new byte[60]));
        }
        finally
        {
            p.Unpin();
        }
        Assert.False(File.Exists(path));
        var e = Assert.Throws<BpfSyscallException>(() => BpfProgram.OpenPinned(path));
        Assert.Equal(BpfCommand.ObjGet, e.Command);
        Assert.Equal(Errno.ENOENT, e.Errno);
    }

    [Fact]
    public void FromIdOfAClosedProgramIsEnoent()
    {
        Kernel.Require();
        uint id;
        using (var p = BpfProgram.Load(new ProgramLoadOptions { Type = BpfProgramType.SocketFilter, Instructions = new Assembler().Mov(R0, 0).Exit().Build() }))
            id = p.GetInfo().Id;

        // The kernel frees a program after an RCU grace period; the id disappears with it.
        BpfSyscallException? e = null;
        for (int i = 0; i < 100 && e is null; i++)
        {
            try { using var again = BpfProgram.FromId(id); Thread.Sleep(10); }
            catch (BpfSyscallException ex) { e = ex; }
        }
        Assert.NotNull(e);
        Assert.Equal(BpfCommand.ProgGetFdById, e.Command);
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.DoesNotContain(id, BpfProgram.EnumerateIds());
    }
}
