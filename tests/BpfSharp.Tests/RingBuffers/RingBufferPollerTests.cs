using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>Several rings (three loads of the producer object, each with its own ring) behind one poller.</summary>
public class RingBufferPollerTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public void EachRingsRecordsGoToItsOwnCallback()
    {
        using BpfObject a = RingFixtures.Load(RingFixtures.Producers), b = RingFixtures.Load(RingFixtures.Producers), c = RingFixtures.Load(RingFixtures.Producers);
        using var poller = new RingBufferPoller();
        var fromA = new List<ulong>();
        var fromB = new List<int>();
        var fromC = new List<ulong>();
        poller.Add(a.Map("ring"), record => { fromA.Add(RingBufferRecord.As<RecordHeader>(record).Seq); return Records.Intact(record, out _); });
        poller.Add(b.Map("ring"), record => { fromB.Add(record.Length); return true; });
        poller.Add<FixedRecord>(c.Map("ring"), (in FixedRecord r) => { fromC.Add(r.Header.Seq); return true; });
        Assert.Equal(3, poller.Count);

        RingFixtures.Run(a, "output_varying", 30);
        RingFixtures.Run(c, "reserve_commit", 9);
        Assert.Equal(36, poller.Poll(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken));

        Assert.Equal(Enumerable.Range(0, 30).Select(i => (ulong)i), fromA);
        Assert.Empty(fromB);
        Assert.Equal([0ul, 1ul, 3ul, 4ul, 6ul, 7ul], fromC);

        RingFixtures.Run(b, "output_fixed", 4);
        Assert.Equal(4, poller.Consume());
        Assert.Equal([40, 40, 40, 40], fromB);
        Assert.Equal(0, poller.Poll(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AWakeupOnAnyRingEndsAnUnboundedPoll()
    {
        using BpfObject a = RingFixtures.Load(RingFixtures.Producers), b = RingFixtures.Load(RingFixtures.Producers);
        using var poller = new RingBufferPoller();
        int fromA = 0, fromB = 0;
        poller.Add(a.Map("ring"), _ => ++fromA > 0);
        poller.Add(b.Map("ring"), _ => ++fromB > 0);
        using var guard = new CancellationTokenSource(HangGuard);
        using var polling = new ManualResetEventSlim();

        int got = 0;
        var thread = new Thread(() =>
        {
            polling.Set();
            got = poller.Poll(Timeout.InfiniteTimeSpan, guard.Token);
        });
        thread.Start();
        polling.Wait(guard.Token);
        Thread.Sleep(50);
        RingFixtures.Run(b, "output_fixed", 1); // default flags: the kernel wakes the poller's epoll
        thread.Join();

        Assert.False(guard.IsCancellationRequested, "the wakeup from the second ring did not end the wait");
        Assert.Equal((1, 0, 1), (got, fromA, fromB));
    }

    [Fact]
    public void ACallbackReturningFalseStopsThePollerAndLaterRingsWait()
    {
        using BpfObject a = RingFixtures.Load(RingFixtures.Producers), b = RingFixtures.Load(RingFixtures.Producers);
        using var poller = new RingBufferPoller();
        int fromA = 0, fromB = 0;
        poller.Add(a.Map("ring"), _ => ++fromA != 2); // stops once, at its second record
        poller.Add(b.Map("ring"), _ => ++fromB > 0);
        RingFixtures.Run(a, "output_fixed", 5);
        RingFixtures.Run(b, "output_fixed", 5);

        Assert.Equal(2, poller.Consume());
        Assert.Equal((2, 0), (fromA, fromB));
        Assert.Equal(3 + 5, poller.Consume());
        Assert.Equal((5, 5), (fromA, fromB));
    }

    [Fact]
    public async Task DisposeEndsABlockedPollOnAnotherThread()
    {
        using BpfObject a = RingFixtures.Load(RingFixtures.Producers);
        var poller = new RingBufferPoller();
        RingBufferReader reader = poller.Add(a.Map("ring"), _ => true);

        Task<int> poll = Task.Run(() => poller.Poll(Timeout.InfiniteTimeSpan, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        poller.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => poll.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.Throws<ObjectDisposedException>(() => reader.Consume(_ => true)); // the poller's readers went with it
    }
}
