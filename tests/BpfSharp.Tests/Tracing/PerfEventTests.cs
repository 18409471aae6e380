using System.Diagnostics;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Tests.Tracing;

public class PerfEventTests
{
    /// <summary>Spins on this thread until <paramref name="done"/> says so or 10 s of wall time passed (a bound, not a measurement).</summary>
    static void BusyUntil(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        ulong x = 1;
        while (!done() && clock.Elapsed < TimeSpan.FromSeconds(10))
            for (int i = 0; i < 1_000_000; i++) x = x * 6364136223846793005ul + 1442695040888963407ul;
        GC.KeepAlive(x);
    }

    [Fact]
    public void SamplesTheCpuClockOnEveryCpuWhileThisProcessSpinsAndStopsAfterDispose()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "pe_clock");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.PerfEvent, counts, "pe_clock");

        using (LinkGroup links = BpfLink.SoftwareEventOnEachCpu(program, PerfSoftwareEvent.CpuClock, PerfSampling.EveryNth(100_000), cookie: 42))
        {
            Assert.Equal(BpfSharp.Maps.CpuList.Online().Count, links.Count);
            ulong start = counts[0];
            BusyUntil(() => counts[0] >= start + 20);
            Assert.True(counts[0] >= start + 20, $"{counts[0] - start} samples of this process while it spun (at least 20 expected)");
            Assert.Equal(42ul, counts[1]);

            LinkInfo info = links[0].GetInfo();
            Assert.Equal(BpfLinkType.PerfEvent, info.Type);
            Assert.Equal(BpfPerfEventType.Event, info.PerfEventType);
            // The kernel names the PMU that took the event: "software", or on newer kernels the dynamic cpu_clock PMU.
            Assert.True(info.EventType is PerfType.Software or >= PerfType.Max, $"event type {info.EventType}");
            Assert.Equal((ulong)PerfSoftwareEvent.CpuClock, info.EventConfig);
            Assert.Equal(42ul, info.Cookie);
        }

        Effects.AssertStops(counts, 0, () => BusyUntil(() => true));
    }

    [Fact]
    public void SamplesOneThreadByItsThreadId()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "pe_thread");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.PerfEvent, counts, "pe_thread");
        // /proc/thread-self is a link to "PID/task/TID": the kernel's id of the thread running this test.
        int tid = int.Parse(Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget!));

        using (BpfLink link = BpfLink.SoftwareEvent(program, PerfSoftwareEvent.TaskClock, PerfSampling.EveryNth(100_000), cpu: -1, pid: tid))
        {
            ulong start = counts[0];
            BusyUntil(() => counts[0] >= start + 20);
            Assert.True(counts[0] >= start + 20, $"{counts[0] - start} samples of this thread while it spun (at least 20 expected)");
            Assert.Equal((ulong)PerfSoftwareEvent.TaskClock, link.GetInfo().EventConfig);
        }

        Effects.AssertStops(counts, 0, () => BusyUntil(() => true));
    }

    [Fact]
    public void APerfEventWithNeitherCpuNorThreadIsRefused()
    {
        Kernel.Require();
        using var counts = ArrayMap<ulong>.Create(2, "pe_bad");
        using BpfProgram program = CountingPrograms.Load(BpfProgramType.PerfEvent, counts, "pe_bad");
        var e = Assert.Throws<ArgumentException>(() => BpfLink.SoftwareEvent(program, PerfSoftwareEvent.CpuClock, PerfSampling.PerSecond(99), cpu: -1));
        Assert.Contains("pid -1 with cpu -1", e.Message);
    }

    [Fact]
    public void OnlineCpuListsExpand()
    {
        Assert.Equal([0, 1, 2, 3], BpfSharp.Maps.CpuList.Parse("0-3\n"));
        Assert.Equal([0, 2, 3, 4, 7], BpfSharp.Maps.CpuList.Parse("0,2-4,7"));
        Assert.Throws<FormatException>(() => BpfSharp.Maps.CpuList.Parse("3-1"));
    }
}
