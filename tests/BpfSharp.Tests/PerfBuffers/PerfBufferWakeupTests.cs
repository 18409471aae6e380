using BpfSharp.Maps.PerfBuffers;
using Xunit;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>
/// Poll sleeps until the kernel wakes it, and the kernel wakes by the options: after N samples (WakeupEvents) or
/// once N bytes wait (WakeupWatermark). Below the threshold the records stay in the ring, where Consume finds them.
/// </summary>
public class PerfBufferWakeupTests
{
    static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void PollWakesAfterWakeupEventsSamplesAndNotBefore()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_wev"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, Cpus = [0], WakeupEvents = 4 });
        var checker = new SampleChecker();

        Assert.Equal(3, producer.Emit(0, 64, 3));
        Assert.Equal(0, reader.Poll((cpu, data) => checker.Check(cpu, data, 64), Quiet, Token));

        Assert.Equal(0, producer.Emit(0, 64));
        Assert.Equal(4, reader.Poll((cpu, data) => checker.Check(cpu, data, 64), Quiet, Token));

        // Counting restarts after a wakeup: three more stay below it again, and Consume takes them without one.
        Assert.Equal(3, producer.Emit(0, 64, 3));
        Assert.Equal(0, reader.Poll((cpu, data) => checker.Check(cpu, data, 64), Quiet, Token));
        Assert.Equal(3, reader.Consume((cpu, data) => checker.Check(cpu, data, 64)));
        checker.AssertClean();
    }

    [Fact]
    public void PollWakesOnlyOnceTheWatermarkIsCrossed()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_wmark"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, Cpus = [0], WakeupWatermark = 1024 });
        var checker = new SampleChecker();

        // 100-byte outputs take 112 bytes of ring: 9 are 1008 bytes, below the watermark; the 10th crosses it.
        Assert.Equal(9, producer.Emit(0, 100, 9));
        Assert.Equal(0, reader.Poll((cpu, data) => checker.Check(cpu, data, 100), Quiet, Token));

        Assert.Equal(0, producer.Emit(0, 100));
        Assert.Equal(10, reader.Poll((cpu, data) => checker.Check(cpu, data, 100), Quiet, Token));
        checker.AssertClean();
    }

    [Fact]
    public void EveryRecordWakesByDefault()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_wdef"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4 });
        var checker = new SampleChecker();
        foreach (int cpu in reader.Cpus)
        {
            Assert.Equal(0, producer.Emit(cpu, 64));
            Assert.Equal(1, reader.Poll((c, data) => { Assert.Equal(cpu, c); checker.Check(c, data, 64); }, -1));
        }
        Assert.Equal(0, reader.Poll((_, _) => Assert.Fail("nothing was written"), 0));
        checker.AssertClean();
    }

    [Fact]
    public void PollReadsOnlyTheRingsThatWoke()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_wpart"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, WakeupEvents = 2 });
        Assert.SkipWhen(reader.Cpus.Count < 2, "needs two online CPUs");
        int quiet = reader.Cpus[0], woken = reader.Cpus[1];
        var seen = new List<int>();

        Assert.Equal(0, producer.Emit(quiet, 64));      // below its wakeup count
        Assert.Equal(2, producer.Emit(woken, 64, 2));   // reaches it
        Assert.Equal(2, reader.Poll((cpu, _) => seen.Add(cpu), Quiet, Token));
        Assert.Equal([woken, woken], seen);

        Assert.Equal(1, reader.Consume((cpu, _) => seen.Add(cpu)));
        Assert.Equal(quiet, seen[^1]);
    }

    [Fact]
    public void PollIsCancelledPromptly()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_cancel"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.Throws<OperationCanceledException>(() => reader.Poll((_, _) => { }, Timeout.InfiniteTimeSpan, cancel.Token));
        // The reader is usable afterwards.
        Assert.Equal(0, producer.Emit(reader.Cpus[0], 64));
        Assert.Equal(1, reader.Poll((_, _) => { }, Quiet, Token));
    }
}
