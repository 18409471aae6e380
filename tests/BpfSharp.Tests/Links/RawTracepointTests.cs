using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;
using BpfSharp.Tests.Support;
using Xunit;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Tests.Links;

public class RawTracepointTests
{
    /// <summary>raw_tp/sys_enter: counts[0] += 1 for every system call this process makes.</summary>
    static BpfProgram CountOwnSyscalls(ArrayMap<ulong> counts) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.RawTracepoint,
        Name = "count_sys",
        Instructions = new Assembler()
            .Call((int)BpfHelperId.GetCurrentPidTgid)
            .Alu(AluOp.Rsh, R0, 32)
            .JumpIf(JumpOp.NotEqual, R0, Environment.ProcessId, "out")
            .Increment(counts, 0, "out")
            .Mov(R0, 0)
            .Exit()
            .Build(),
    });

    /// <summary>100 close(-1) calls: each one a system call that fails with EBADF and changes nothing.</summary>
    static void MakeSyscalls()
    {
        for (int i = 0; i < 100; i++) Assert.Equal(-9, LinuxSyscalls.Instance.Close(-1));
    }

    [Fact]
    public void CountsWhileAttachedAndStopsAfterDispose()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(1, "sys_count");
        using BpfProgram program = CountOwnSyscalls(counts);

        using (BpfLink link = BpfLink.RawTracepoint(program, "sys_enter"))
        {
            ulong start = counts[0];
            MakeSyscalls();
            Assert.True(counts[0] >= start + 100, $"counted {counts[0] - start} of at least 100 system calls");

            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfLinkType.RawTracepoint, info.Type);
            Assert.Equal(program.GetInfo().Id, info.ProgramId);
            Assert.Equal("sys_enter", info.TracepointName);
            Assert.Equal(0ul, info.Cookie);
        }

        AssertStopsCounting(counts);
    }

    [Fact]
    public void APinnedLinkOutlivesItsHandleUntilUnpinned()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(1, "sys_pin");
        using BpfProgram program = CountOwnSyscalls(counts);
        string path = $"/sys/fs/bpf/{Kernel.UniqueName("link_pin")}";
        uint id;
        using (BpfLink link = BpfLink.RawTracepoint(program, "sys_enter", cookie: 0x1234))
        {
            link.Pin(path);
            id = link.GetInfo().Id;
            Assert.Equal(0x1234ul, link.GetInfo().Cookie);
        }
        try
        {
            ulong start = counts[0];
            MakeSyscalls();
            Assert.True(counts[0] >= start + 100, "the pin keeps the link attached after its fd closed");

            Assert.Contains(id, BpfLink.EnumerateIds());
            using (BpfLink byId = BpfLink.FromId(id))
                Assert.Equal("sys_enter", byId.GetInfo().TracepointName);

            using BpfLink pinned = BpfLink.OpenPinned(path);
            Assert.Equal(id, pinned.GetInfo().Id);
            pinned.Unpin();
            Assert.False(File.Exists(path));
            start = counts[0];
            MakeSyscalls();
            Assert.True(counts[0] >= start + 100, "still attached: this handle's fd is open");
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }

        AssertStopsCounting(counts);
    }

    /// <summary>
    /// After the last fd of a link closes the program must stop running. The kernel may finish the release on a
    /// workqueue a moment after close returns (seen here under load): wait, bounded, until the count stops moving,
    /// then it must stay still however many system calls follow. A link that stays attached fails.
    /// </summary>
    static void AssertStopsCounting(ArrayMap<ulong> counts)
    {
        ulong end = counts[0];
        for (int wait = 0; wait < 100; wait++)
        {
            MakeSyscalls();
            if (counts[0] == end) break;
            end = counts[0];
            Thread.Sleep(10);
        }
        MakeSyscalls();
        MakeSyscalls();
        Assert.Equal(end, counts[0]);
    }

    [Fact]
    public void RawTracepointLinksCannotBeDetachedExplicitly()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(1, "sys_det");
        using BpfProgram program = CountOwnSyscalls(counts);
        using BpfLink link = BpfLink.RawTracepoint(program, "sys_enter");

        // The kernel has no detach operation for raw tracepoint links: only closing every fd (and pin) ends them.
        var e = Assert.Throws<BpfSyscallException>(link.Detach);
        Assert.Equal(BpfCommand.LinkDetach, e.Command);
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Contains("close", e.Hint);

        ulong start = counts[0];
        MakeSyscalls();
        Assert.True(counts[0] >= start + 100, "the failed detach left the link attached");
    }

    [Fact]
    public void AnUnknownTracepointIsEnoent()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(1, "sys_bad");
        using BpfProgram program = CountOwnSyscalls(counts);

        var e = Assert.Throws<BpfSyscallException>(() => BpfLink.RawTracepoint(program, "no_such_tracepoint_here"));

        Assert.Equal(BpfCommand.RawTracepointOpen, e.Command);
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains("no_such_tracepoint_here", e.Message);
    }
}
