using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>C# writes, a BPF program drains with bpf_user_ringbuf_drain (user_ring_consumer.bpf.c) and counts into a map.</summary>
public class UserRingBufferWriterTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>Writes the record format the drain callback checks: header, pattern, last byte (u8)(seq + size).</summary>
    static void Fill(Span<byte> record, ulong seq)
    {
        uint size = (uint)record.Length;
        MemoryMarshal.Write(record, new RecordHeader { Seq = seq, Size = size, Check = Records.Check(seq, size) });
        for (int i = 16; i < record.Length; i++) record[i] = (byte)(seq * 7 + (ulong)i);
        record[^1] = (byte)(seq + size);
    }

    static int SizeOf(ulong seq) => 17 + (int)(seq * 53 % 300); // 17 and up: the last byte is past the header

    /// <summary>Accepted records, sum of sizes, sum of sequence numbers, bad records, last drain's return value.</summary>
    static (ulong Accepted, ulong Bytes, ulong SeqSum, ulong Bad, long LastDrain) Stats(BpfObject bpf)
    {
        var stats = bpf.Map<ArrayMap<ulong>>("stats");
        return (stats[0], stats[1], stats[2], stats[3], (long)stats[4]);
    }

    static void Drain(BpfObject bpf) => RingFixtures.Run(bpf, "drain", 1);

    [Fact]
    public void RecordsOfVaryingSizesReachTheKernelIntactAndDiscardsAreNotSeen()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.UserRingConsumer);
        using var writer = new UserRingBufferWriter(bpf.Map("commands"));

        ulong submitted = 0, bytes = 0, seqSum = 0;
        ulong seq = 0;
        int drains = 0;
        while (seq < 1000)
        {
            int size = SizeOf(seq);
            if (!writer.TryReserve(size, out UserRingBufferReservation r))
            {
                Drain(bpf); // the 16 KiB ring holds ~90 of these records: drain and go on
                drains++;
                continue;
            }
            Fill(r.Data, seq);
            if (seq % 5 == 4)
            {
                r.Data.Fill(0xEE); // garbage the kernel would count as bad, had it read it
                writer.Discard(r);
            }
            else
            {
                writer.Submit(r);
                submitted++;
                bytes += (ulong)size;
                seqSum += seq;
            }
            seq++;
        }
        Drain(bpf);

        var stats = Stats(bpf);
        Assert.Equal(0ul, stats.Bad);
        Assert.Equal(submitted, stats.Accepted);
        Assert.Equal(bytes, stats.Bytes);
        Assert.Equal(seqSum, stats.SeqSum);
        Assert.True(drains > 5, "the ring filled up and wrapped around several times");
        Assert.Equal(writer.Size, writer.FreeBytes);
    }

    [Fact]
    public void TheKernelStopsAtARecordNotYetSubmitted()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.UserRingConsumer);
        using var writer = new UserRingBufferWriter(bpf.Map("commands"));

        Assert.True(writer.TryReserve(24, out UserRingBufferReservation pending));
        Fill(pending.Data, 1);
        Assert.True(writer.TryReserve(32, out UserRingBufferReservation later));
        Fill(later.Data, 2);
        writer.Submit(later);
        Drain(bpf);
        Assert.Equal((0ul, 0ul), (Stats(bpf).Accepted, Stats(bpf).Bad)); // blocked behind the busy record

        writer.Submit(pending);
        Drain(bpf);
        Assert.Equal((2ul, 56ul, 3ul, 0ul), (Stats(bpf).Accepted, Stats(bpf).Bytes, Stats(bpf).SeqSum, Stats(bpf).Bad));
    }

    [Fact]
    public void TypedWritesArriveAsWholeRecords()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.UserRingConsumer);
        using var writer = new UserRingBufferWriter(bpf.Map("commands"));

        for (ulong seq = 0; seq < 10; seq++)
        {
            var record = new TypedRecord { Header = new RecordHeader { Seq = seq, Size = 24, Check = Records.Check(seq, 24) } };
            record.Tail = (ulong)(byte)(seq + 24) << 56; // the last byte is (u8)(seq + size)
            Assert.True(writer.TryWrite(in record));
        }
        Drain(bpf);

        var stats = Stats(bpf);
        Assert.Equal((10ul, 240ul, 45ul, 0ul, 10L), (stats.Accepted, stats.Bytes, stats.SeqSum, stats.Bad, stats.LastDrain));
    }

    [StructLayout(LayoutKind.Sequential)]
    struct TypedRecord
    {
        public RecordHeader Header;
        public ulong Tail;
    }

    [Fact]
    public async Task BlockingReserveTimesOutWhenFullAndSucceedsOnceTheProgramDrains()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.UserRingConsumer);
        using var writer = new UserRingBufferWriter(bpf.Map("commands"));
        var record = new byte[1000];
        ulong seq = 0;
        while (writer.TryReserve(record.Length, out UserRingBufferReservation r))
        {
            Fill(r.Data, seq++);
            writer.Submit(r);
        }

        var e = Assert.Throws<TimeoutException>(() => writer.ReserveBlocking(record.Length, TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        Assert.Contains("'commands'", e.Message);
        Assert.Contains("1000-byte record", e.Message);

        using var guard = new CancellationTokenSource(HangGuard);
        using var waiting = new ManualResetEventSlim();
        Task<int> blocked = Task.Run(() =>
        {
            waiting.Set();
            // Infinite timeout: only the kernel's wakeup after the drain ends it; the guard turns a missing wakeup into a failure.
            UserRingBufferReservation r = writer.ReserveBlocking(record.Length, Timeout.InfiniteTimeSpan, guard.Token);
            Fill(r.Data, 100);
            writer.Submit(r);
            return r.Length;
        }, TestContext.Current.CancellationToken);
        waiting.Wait(TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Drain(bpf);

        Assert.Equal(1000, await blocked.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
        Assert.False(guard.IsCancellationRequested);
        Drain(bpf);
        Assert.Equal(seq + 1, Stats(bpf).Accepted);
        Assert.Equal(0ul, Stats(bpf).Bad);
    }

    [Fact]
    public async Task CancellationEndsABlockedReserveAtOnce()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.UserRingConsumer);
        using var writer = new UserRingBufferWriter(bpf.Map("commands"));
        while (writer.TryWrite(new byte[512])) { }
        using var cancel = new CancellationTokenSource();

        Task blocked = Task.Run(() => { writer.ReserveBlocking(512, Timeout.InfiniteTimeSpan, cancel.Token); }, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(HangGuard, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AWriterOverAnFdAsksTheKernelForTheRingsShape()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.UserRingConsumer);
        using var writer = new UserRingBufferWriter(bpf.Map("commands").Fd);
        Assert.Equal(16 * 1024, writer.Size);
        Assert.Equal(16 * 1024 - 8, writer.MaxRecordSize);
    }
}
