using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Maps.PerfBuffers;
using Xunit;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>The reader's faces (struct handler, typed records, async stream), its one-consumer rule and its argument checks.</summary>
public class PerfBufferApiTests
{
    [StructLayout(LayoutKind.Sequential)]
    record struct Stamped(ulong Seq, byte First, byte Second);

    struct Summing : IPerfSampleHandler
    {
        public int Count;
        public ulong SeqSum;
        public long Bytes;

        public void OnSample(int cpu, ReadOnlySpan<byte> data)
        {
            Count++;
            SeqSum += MemoryMarshal.Read<ulong>(data);
            Bytes += data.Length;
        }
    }

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void AReaderThatFailsToOpenLeavesAnotherReadersSlotsAlone()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_keep"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { Cpus = [0] });
        Assert.Throws<ArgumentException>(() =>
            new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0], WakeupWatermark = 1 << 20 }));

        Assert.Equal(0, producer.Emit(0, 64)); // slot 0 still holds the first reader's event (-ENOENT had it been cleared)
        Assert.Equal(1, reader.Consume((_, _) => { }));
    }

    [Fact]
    public void AStructHandlerKeepsItsStateAcrossTheCall()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_struct"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, Cpus = [0] });
        Assert.Equal(20, producer.Emit(0, 32, 20));

        var handler = new Summing();
        Assert.Equal(20, reader.Consume(ref handler));
        Assert.Equal(20, handler.Count);
        Assert.Equal(20ul * 21 / 2, handler.SeqSum);
        Assert.Equal(20L * PerfProducer.RawSize(32), handler.Bytes);

        Assert.Equal(3, producer.Emit(0, 32, 3));
        Assert.Equal(3, reader.Poll(ref handler, TimeSpan.FromSeconds(5), Token));
        Assert.Equal(23, handler.Count);
    }

    [Fact]
    public void TypedRecordsAreReadFromTheStartOfEachSample()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_typed"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, Cpus = [0] });
        Assert.Equal(5, producer.Emit(0, 16, 5));

        var records = new List<Stamped>();
        Assert.Equal(5, reader.Consume((int cpu, in Stamped s) => records.Add(s)));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => new Stamped((ulong)i, PerfProducer.Pattern(8), PerfProducer.Pattern(9))), records);

        Assert.Equal(0, producer.Emit(0, 16));
        Assert.Equal(1, reader.Poll((int cpu, in Stamped s) => records.Add(s), TimeSpan.FromSeconds(5), Token));
        Assert.Equal(6ul, records[^1].Seq);
    }

    [Fact]
    public void ATypedRecordLargerThanTheSampleIsAClearError()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_short"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, Cpus = [0] });
        Assert.Equal(0, producer.Emit(0, 8));
        var e = Assert.Throws<InvalidDataException>(() => reader.Consume((int cpu, in Stamped s) => { }));
        Assert.Contains("12 bytes is shorter than Stamped (16 bytes)", e.Message);
        Assert.Equal(0, reader.Consume((_, _) => Assert.Fail("the bad sample counts as consumed")));
    }

    [Fact]
    public async Task ReadAllAsyncStreamsRecordsUntilCancelled()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_async"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 4, Cpus = [0] });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        Assert.Equal(10, producer.Emit(0, 16, 10));

        var seen = new List<ulong>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Stamped s in reader.ReadAllAsync<Stamped>(cancel.Token))
            {
                seen.Add(s.Seq);
                if (seen.Count == 10) Assert.Equal(5, producer.Emit(0, 16, 5)); // arrives while the stream waits
                if (seen.Count == 15) cancel.Cancel();
            }
        });
        Assert.Equal(Enumerable.Range(1, 15).Select(i => (ulong)i), seen);
    }

    [Fact]
    public async Task ReadAllAsyncEndsWhenTheReaderIsDisposed()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_async_end"));
        var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] });
        Assert.Equal(0, producer.Emit(0, 16));
        int count = 0;
        await foreach (Stamped s in reader.ReadAllAsync<Stamped>(Token))
        {
            count++;
            reader.Dispose(); // from inside the stream: the release waits until the stream lets go of the rings
        }
        Assert.Equal(1, count);
        Assert.Throws<ObjectDisposedException>(() => reader.Consume((_, _) => { }));
    }

    [Fact]
    public void OneConsumerAtATime()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_reenter"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] });
        Assert.Equal(0, producer.Emit(0, 16));
        InvalidOperationException? inner = null;
        reader.Consume((_, _) => inner = Assert.Throws<InvalidOperationException>(() => reader.Consume((_, _) => { })));
        Assert.NotNull(inner);
        Assert.Contains("one consumer at a time", inner.Message);
    }

    [Fact]
    public void DisposeFromAnotherThreadEndsABlockedPoll()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_dispose_poll"));
        var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] });
        int polled = -1;
        var poller = new Thread(() => polled = reader.Poll((_, _) => { }, -1));
        poller.Start();
        Thread.Sleep(100); // let it block in epoll_wait (if it has not yet, Dispose simply wins)
        reader.Dispose();
        Assert.True(poller.Join(TimeSpan.FromSeconds(10)), "Poll did not return after Dispose");
        Assert.Equal(0, polled);
        Assert.Throws<ObjectDisposedException>(() => reader.Poll((_, _) => { }, 0));
        const int ENOENT = 2;
        Assert.Equal(-ENOENT, producer.Emit(0, 16)); // released: the slot is cleared
    }

    [Fact]
    public void DisposingTheMapFirstStillClearsTheSlots()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_map_first"));
        using var sameMap = BpfMap.FromId(producer.Events.GetInfo().Id);
        var reader = new PerfBufferReader(sameMap, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] });
        sameMap.Dispose();
        Assert.Equal(0, producer.Emit(0, 16));
        Assert.Equal(1, reader.Consume((_, _) => { }));
        reader.Dispose();
        Assert.Equal(-2, producer.Emit(0, 16)); // ENOENT
    }

    [Fact]
    public void BadArgumentsSayWhatToChange()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_args"));
        using var array = ArrayMap<uint>.Create(4);

        Assert.Contains("PERF_EVENT_ARRAY", Assert.Throws<ArgumentException>(() => new PerfBufferReader(array.Map)).Message);
        Assert.Contains("power of two", Assert.Throws<ArgumentException>(() => new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 3 })).Message);
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() =>
            new PerfBufferReader(producer.Events, new PerfBufferOptions { WakeupEvents = 2, WakeupWatermark = 100 })).Message);
        Assert.Contains("exceeds", Assert.Throws<ArgumentException>(() =>
            new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, WakeupWatermark = 1 << 20 })).Message);
        Assert.Contains("no slot", Assert.Throws<ArgumentException>(() =>
            new PerfBufferReader(producer.Events, new PerfBufferOptions { Cpus = [PossibleCpus.Count] })).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => new PerfBufferReader(producer.Events, new PerfBufferOptions { Cpus = [0, 0] })).Message);

        using var oneSlot = BpfMap.Create(new MapSpec { Type = BpfMapType.PerfEventArray, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
        if (PossibleCpus.Count > 1)
            Assert.Contains("max_entries", Assert.Throws<ArgumentException>(() => new PerfBufferReader(oneSlot)).Message);
        using (new PerfBufferReader(oneSlot, new PerfBufferOptions { Cpus = [0] })) { }

        // A failure half-way (the watermark check runs after the first ring is open) leaves the slots empty.
        Assert.Equal(-2, producer.Emit(0, 16));
    }

    [Fact]
    public void TooManyPagesIsAKernelErrorThatNamesTheRing()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_huge"));
        // 2^20 pages (4 GiB) per CPU: beyond what the kernel maps for one perf buffer.
        var e = Assert.Throws<BpfSyscallException>(() => new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1 << 20, Cpus = [0] }));
        Assert.Equal("mmap", e.Syscall);
        Assert.Contains("CPU 0", e.Message);
        Assert.Equal(-2, producer.Emit(0, 16));
    }
}
