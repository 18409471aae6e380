using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>Records written by real BPF programs (BPF_PROG_TEST_RUN), read back through the mapped ring.</summary>
public class RingBufferReaderTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public void FixedSizeRecordsComeBackIntactAndInOrder()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 500);

        var seen = new List<ulong>();
        int bad = 0;
        int n = reader.Consume(record =>
        {
            if (!Records.Intact(record, out ulong seq) || record.Length != 40) bad++;
            seen.Add(seq);
            return true;
        });

        Assert.Equal((500ul, 500ul, 0ul, 0ul), RingFixtures.Stats(bpf));
        Assert.Equal(500, n);
        Assert.Equal(0, bad);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (ulong)i), seen);
        Assert.Equal(0, reader.Consume(_ => true));
        Assert.Equal(0, reader.AvailableBytes);
        Assert.Equal(500ul * 48, reader.ConsumerPosition); // 8-byte header + 40 bytes
    }

    [Fact]
    public void VaryingSizesComeBackIntactIncludingSizesNotMultiplesOfEight()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_varying", 300);

        var sizes = new List<int>();
        int bad = 0;
        ulong expected = 0;
        reader.Consume(record =>
        {
            if (!Records.Intact(record, out ulong seq) || seq != expected++) bad++;
            sizes.Add(record.Length);
            return true;
        });

        Assert.Equal(0ul, RingFixtures.Stats(bpf).Dropped);
        Assert.Equal(300, sizes.Count);
        Assert.Equal(0, bad);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => Records.VaryingSize((ulong)i)), sizes);
        Assert.Contains(sizes, s => s % 8 != 0);
        ulong footprint = (ulong)sizes.Sum(s => (s + 8 + 7) & ~7);
        Assert.Equal(footprint, reader.ConsumerPosition);
        Assert.Equal(reader.ProducerPosition, reader.ConsumerPosition);
    }

    [Fact]
    public void DiscardedRecordsAreSkippedButTheirRoomIsConsumed()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "reserve_commit", 300);

        var seen = new List<ulong>();
        int n = reader.Consume<FixedRecord>((in FixedRecord r) =>
        {
            seen.Add(r.Header.Seq);
            return true;
        });

        Assert.Equal((300ul, 200ul, 0ul, 100ul), RingFixtures.Stats(bpf));
        Assert.Equal(200, n);
        Assert.Equal(Enumerable.Range(0, 300).Where(i => i % 3 != 2).Select(i => (ulong)i), seen);
        Assert.Equal(300ul * 48, reader.ConsumerPosition); // the 100 discarded records were stepped over too
    }

    [Fact]
    public void ExactAccountingUnderOverloadWithAConcurrentConsumer()
    {
        const uint RepeatPerCall = 1_000;
        const int MaxCalls = 20_000;
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        long wrapTarget = 16L * reader.Size; // the consumer must get through the 64 KiB ring 16 times while the producer runs

        var checker = new OverloadChecker();
        bool producing = true;
        long consumedBytes = 0;
        var consumer = new Thread(() =>
        {
            // Drain while the producer runs on the other core; after it stops, drain what is left.
            while (Volatile.Read(ref producing))
            {
                checker.Consumed += reader.Consume(ref checker);
                Volatile.Write(ref consumedBytes, (long)reader.ConsumerPosition);
            }
            checker.Consumed += reader.Consume(ref checker);
        }) { Name = "ring consumer" };
        consumer.Start();
        int calls = 0;
        try
        {
            // Overload: each call offers 1,000 records of 16..271 bytes at once, far more than the ring holds. Go on
            // until the consumer has wrapped around the ring many times (so both sides really ran concurrently).
            while (calls < MaxCalls && Volatile.Read(ref consumedBytes) < wrapTarget)
            {
                RingFixtures.Run(bpf, "output_varying", RepeatPerCall);
                calls++;
            }
        }
        finally
        {
            Volatile.Write(ref producing, false);
            consumer.Join();
        }

        var (produced, committed, dropped, _) = RingFixtures.Stats(bpf);
        TestContext.Current.SendDiagnosticMessage(
            $"overload: {calls} test runs, produced {produced}, committed {committed}, dropped {dropped}, consumer position {reader.ConsumerPosition}");
        Assert.Equal((ulong)calls * RepeatPerCall, produced);
        Assert.Equal(produced, committed + dropped);
        Assert.Equal(committed, (ulong)checker.Consumed);
        Assert.Equal(0, checker.Corrupted);
        Assert.Equal(0, checker.OutOfOrder);
        Assert.True(dropped > 0, "the ring must overflow: this test must see drops to prove the accounting");
        Assert.True(checker.DistinctSizes > 200, "sizes from 16 to 271 bytes");
        Assert.True((long)reader.ConsumerPosition >= wrapTarget, $"the consumer wrapped around the ring 16 times within {MaxCalls} producer runs");
        Assert.Equal(0, reader.AvailableBytes);
    }

    /// <summary>Checks every record by content and order; a struct handler, so the hot loop has no delegate.</summary>
    sealed class OverloadChecker : IRingBufferHandler
    {
        readonly bool[] sizes = new bool[512];
        ulong next;
        public int Consumed, Corrupted, OutOfOrder;

        public int DistinctSizes => sizes.Count(s => s);

        public bool OnRecord(ReadOnlySpan<byte> record)
        {
            if (!Records.Intact(record, out ulong seq)) Corrupted++;
            else if (seq < next) OutOfOrder++;
            else next = seq + 1;
            sizes[Math.Min(record.Length, 511)] = true;
            return true;
        }
    }

    [Fact]
    public void TypedViewRefusesARecordSmallerThanTheTypeAndGoesOnAfterIt()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 3);

        var e = Assert.Throws<InvalidDataException>(() => reader.Consume<TooBig>((in TooBig _) => true));
        Assert.Contains("40 bytes", e.Message);
        Assert.Contains(nameof(TooBig), e.Message);
        Assert.Contains("48", e.Message);

        // The refused record was consumed; the other two are still there, and fit FixedRecord.
        var seqs = new List<ulong>();
        Assert.Equal(2, reader.Consume<FixedRecord>((in FixedRecord r) => { seqs.Add(r.Header.Seq); return true; }));
        Assert.Equal([1ul, 2ul], seqs);
    }

    [StructLayout(LayoutKind.Sequential)]
    struct TooBig
    {
        public FixedRecord Record;
        public ulong Extra;
    }

    [Fact]
    public void ACallbackStopsConsumptionEarlyAndTheRestStaysForTheNextCall()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 10);

        int calls = 0;
        Assert.Equal(4, reader.Consume(_ => ++calls < 4));
        Assert.Equal(4 * 48ul, reader.ConsumerPosition);

        var handler = new SeqCollector();
        Assert.Equal(6, reader.Consume(ref handler));
        Assert.Equal(6, handler.Count);
        Assert.Equal(4ul, handler.First);
        Assert.Equal(9ul, handler.Last);
    }

    struct SeqCollector : IRingBufferHandler
    {
        public int Count;
        public ulong First, Last;

        public bool OnRecord(ReadOnlySpan<byte> record)
        {
            ulong seq = RingBufferRecord.As<RecordHeader>(record).Seq;
            if (Count++ == 0) First = seq;
            Last = seq;
            return true;
        }
    }

    [Fact]
    public void ACallbackThatThrowsHasConsumedItsRecord()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 3);

        Assert.Throws<FormatException>(() => reader.Consume(_ => throw new FormatException()));
        Assert.Equal(48ul, reader.ConsumerPosition);
        Assert.True(reader.TryRead(out FixedRecord second));
        Assert.Equal(1ul, second.Header.Seq);
        Assert.True(reader.TryRead(out FixedRecord third));
        Assert.Equal(2ul, third.Header.Seq);
        Assert.False(reader.TryRead(out FixedRecord _));
    }

    [Fact]
    public void TypedHandlerGetsRecordsInPlace()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 25);

        var sum = new SeqSum();
        Assert.Equal(25, reader.Consume<FixedRecord, SeqSum>(ref sum));
        Assert.Equal(Enumerable.Range(0, 25).Sum(i => (long)i), (long)sum.Total);
        Assert.Equal(25, sum.Count);
    }

    struct SeqSum : IRingBufferRecordHandler<FixedRecord>
    {
        public ulong Total;
        public int Count;

        public bool OnRecord(in FixedRecord record)
        {
            Total += record.Header.Seq;
            Count++;
            return record.Header.Check == Records.Check(record.Header.Seq, 40);
        }
    }

    [Fact]
    public void ConsumingFromInsideACallbackIsRefused()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 2);

        var e = Assert.Throws<InvalidOperationException>(() => reader.Consume(_ => reader.Consume(_ => true) >= 0));
        Assert.Contains("one consumer", e.Message);
        Assert.Equal(1, reader.Consume(_ => true)); // the reader is usable again; the first record was consumed
    }

    [Fact]
    public void PollWithATimeoutReturnsZeroOnAnEmptyRing()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));

        Assert.Equal(0, reader.Poll(_ => true, TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));
        Assert.Equal(0, reader.Poll(_ => true, TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.False(reader.WaitForData(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void PollWithoutATimeoutIsWokenByTheKernelWhenARecordIsCommitted()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        using var guard = new CancellationTokenSource(HangGuard);
        using var polling = new ManualResetEventSlim();

        int got = 0;
        var poller = new Thread(() =>
        {
            polling.Set();
            // Infinite timeout: only the kernel's wakeup (output_fixed commits with default flags) can end it early;
            // the guard's cancellation turns a missing wakeup into a failure instead of a hang.
            got = reader.Poll(_ => true, Timeout.InfiniteTimeSpan, guard.Token);
        });
        poller.Start();
        polling.Wait(guard.Token);
        Thread.Sleep(50); // let the poller reach epoll_wait (if it has not, it finds the record without waiting: also fine)
        RingFixtures.Run(bpf, "output_fixed", 1);
        poller.Join();

        Assert.False(guard.IsCancellationRequested, "the kernel's wakeup did not end the wait");
        Assert.Equal(1, got);
    }

    [Fact]
    public async Task CancellationEndsABlockedPollAtOnce()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        using var cancel = new CancellationTokenSource();

        Task<int> poll = Task.Run(() => reader.Poll(_ => true, Timeout.InfiniteTimeSpan, cancel.Token), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.Equal(0, reader.Poll(_ => true, TimeSpan.Zero, TestContext.Current.CancellationToken)); // still usable: the wake event was cleared
    }

    [Fact]
    public async Task DisposeEndsABlockedPollOnAnotherThread()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        var reader = new RingBufferReader(bpf.Map("ring"));

        Task<int> poll = Task.Run(() => reader.Poll(_ => true, Timeout.InfiniteTimeSpan, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        reader.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => poll.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.Throws<ObjectDisposedException>(() => reader.Consume(_ => true));
    }

    [Fact]
    public async Task ReadAllAsyncYieldsTypedCopiesAndEndsPromptlyWhenCancelled()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", 100);
        using var cancel = new CancellationTokenSource();

        var seqs = new List<ulong>();
        Task reading = Task.Run(async () =>
        {
            await foreach (FixedRecord r in reader.ReadAllAsync<FixedRecord>(cancel.Token))
            {
                seqs.Add(r.Header.Seq);
                if (seqs.Count == 100) RingFixtures.Run(bpf, "output_fixed", 50); // the rest arrives while the reader waits
                if (seqs.Count == 150) cancel.Cancel(); // then wait on an empty ring, and cancel it
            }
        }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.Equal(Enumerable.Range(0, 150).Select(i => (ulong)i), seqs);
    }

    [Fact]
    public async Task ReadAllAsyncWaitingOnAnEmptyRingEndsWhenCancelled()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        using var cancel = new CancellationTokenSource();

        int count = 0;
        Task reading = Task.Run(async () =>
        {
            await foreach (FixedRecord _ in reader.ReadAllAsync<FixedRecord>(cancel.Token)) count++;
        }, TestContext.Current.CancellationToken);
        await Task.Delay(150, TestContext.Current.CancellationToken); // past one idle recheck
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.Equal(0, count);
    }

    [Fact]
    public void AReaderOverAnFdAsksTheKernelForTheRingsShape()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring").Fd);
        RingFixtures.Run(bpf, "output_fixed", 2);

        Assert.Equal(64 * 1024, reader.Size);
        Assert.Equal(2, reader.Consume(_ => true));
    }

    [Fact]
    public void OtherMapTypesAreRefusedWithTheReasonAndTheRightType()
    {
        Kernel.Require();
        using BpfMap array = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, Name = "not_a_ring" });
        using BpfMap user = BpfMap.Create(new MapSpec { Type = BpfMapType.UserRingBuf, MaxEntries = 4096, Name = "user_ring" });
        using BpfMap ring = BpfMap.Create(new MapSpec { Type = BpfMapType.RingBuf, MaxEntries = 4096, Name = "kernel_ring" });

        var e = Assert.Throws<ArgumentException>(() => new RingBufferReader(array));
        Assert.Contains("'not_a_ring' is a Array map", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RingBufferReader(user.Fd));
        Assert.Contains("UserRingBufferWriter", e.Message);
        e = Assert.Throws<ArgumentException>(() => new UserRingBufferWriter(ring));
        Assert.Contains("RingBufferReader", e.Message);
    }
}
