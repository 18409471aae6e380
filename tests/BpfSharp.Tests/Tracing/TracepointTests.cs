using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Tracing;

public class TracepointTests
{
    [Fact]
    public void CountsThisProcessOpeningFilesAndStopsAfterDispose()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "tp_open");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.Tracepoint, counts, "tp_open");

        using (BpfLink link = BpfLink.Tracepoint(program, "syscalls", "sys_enter_openat", cookie: 0xC00C1E))
        {
            ulong start = counts[0];
            Effects.OpenFiles(50);
            Assert.True(counts[0] >= start + 50, $"counted {counts[0] - start} of at least 50 openat calls");
            Assert.Equal(0xC00C1Eul, counts[1]);

            LinkInfo info = link.GetInfo();
            Assert.Equal(BpfLinkType.PerfEvent, info.Type);
            Assert.Equal(program.GetInfo().Id, info.ProgramId);
            Assert.Equal(BpfPerfEventType.Tracepoint, info.PerfEventKind);
            Assert.Equal("sys_enter_openat", info.TracepointName);
            Assert.Equal(0xC00C1Eul, info.Cookie);
            Assert.Contains(info.Id, BpfLink.EnumerateIds());
        }

        Effects.AssertStops(counts, 0, () => Effects.OpenFiles(20));
    }

    [Fact]
    public void APinnedTracepointLinkKeepsCountingUntilUnpinnedAndClosed()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "tp_pin");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.Tracepoint, counts, "tp_pin");
        string path = $"/sys/fs/bpf/{Kernel.UniqueName("tp_link")}";
        uint id;
        using (BpfLink link = BpfLink.Tracepoint(program, "syscalls", "sys_enter_openat"))
        {
            link.Pin(path);
            id = link.GetInfo().Id;
        }
        try
        {
            // The handle (link fd and perf event fd) is closed: the pin alone keeps the attachment.
            ulong start = counts[0];
            Effects.OpenFiles(30);
            Assert.True(counts[0] >= start + 30, "the pin keeps the tracepoint link attached after its handle closed");

            using BpfLink pinned = BpfLink.OpenPinned(path);
            LinkInfo info = pinned.GetInfo();
            Assert.Equal(id, info.Id);
            Assert.Equal("sys_enter_openat", info.TracepointName);
            pinned.Unpin();
            Assert.False(File.Exists(path));

            start = counts[0];
            Effects.OpenFiles(30);
            Assert.True(counts[0] >= start + 30, "still attached while the reopened handle is open");
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }

        Effects.AssertStops(counts, 0, () => Effects.OpenFiles(20));
    }

    [Fact]
    public void AMissingTracepointNamesThePathItLookedAt()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "tp_miss");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.Tracepoint, counts, "tp_miss");

        var e = Assert.Throws<ArgumentException>(() => BpfLink.Tracepoint(program, "syscalls", "sys_enter_no_such_call"));

        Assert.Contains($"{Tracefs.Root}/events/syscalls/sys_enter_no_such_call/id", e.Message);
        Assert.Contains("available_events", e.Message);
    }

    [Fact]
    public void ATracepointNameWithASlashIsRejectedBeforeTouchingTracefs()
    {
        var e = Assert.Throws<ArgumentException>(() => Tracefs.TracepointId("syscalls/../..", "x"));
        Assert.Contains("single path components", e.Message);
    }

    [Fact]
    public void TheTracepointIdIsTheOneTracefsLists()
    {
        Kernel.Require();
        string root = Tracefs.RequireRoot();
        ulong expected = ulong.Parse(File.ReadAllText($"{root}/events/sched/sched_process_exec/id").Trim());
        Assert.Equal(expected, Tracefs.TracepointId("sched", "sched_process_exec"));
    }
}
