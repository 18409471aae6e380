using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>Consuming records allocates nothing on the managed heap, whichever API (a correctness property, not a timing).</summary>
public class RingBufferAllocationTests
{
    const uint Records = 1300; // 1300 × 48 bytes fill most of the 64 KiB ring

    static long AllocatedWhile(BpfObject bpf, Func<int> consume)
    {
        RingFixtures.Run(bpf, "output_fixed", 50);
        consume(); // warm-up: JIT, the layout check's first verdict
        RingFixtures.Run(bpf, "output_fixed", Records);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int n = consume();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((int)Records, n);
        return bytes;
    }

    static readonly RingBufferCallback CountingCallback = record => record.Length == 40;
    static readonly RingBufferRecordCallback<FixedRecord> TypedCallback = (in FixedRecord r) => r.Header.Size == 40;

    [Fact]
    public void SpanCallbackStructHandlerTypedCallbackAndTryReadAllocateNothing()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));

        Assert.Equal(0, AllocatedWhile(bpf, () => reader.Consume(CountingCallback)));
        Assert.Equal(0, AllocatedWhile(bpf, () =>
        {
            var handler = new Counter();
            return reader.Consume(ref handler);
        }));
        Assert.Equal(0, AllocatedWhile(bpf, () => reader.Consume(TypedCallback)));
        Assert.Equal(0, AllocatedWhile(bpf, () =>
        {
            int n = 0;
            while (reader.TryRead(out FixedRecord _)) n++;
            return n;
        }));
    }

    [Fact]
    public void APollerOverSeveralRingsAllocatesNothingPerRecord()
    {
        using BpfObject a = RingFixtures.Load(RingFixtures.Producers), b = RingFixtures.Load(RingFixtures.Producers);
        using var poller = new RingBufferPoller();
        poller.Add(a.Map("ring"), CountingCallback);
        poller.Add(b.Map("ring"), TypedCallback);
        RingFixtures.Run(a, "output_fixed", 10);
        poller.Poll(TimeSpan.Zero, TestContext.Current.CancellationToken);

        RingFixtures.Run(a, "output_fixed", Records);
        RingFixtures.Run(b, "output_fixed", Records);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int n = poller.Poll(TimeSpan.Zero, TestContext.Current.CancellationToken);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2 * (int)Records, n);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public async Task ReadAllAsyncAllocatesNothingPerRecordWhileRecordsAreWaiting()
    {
        using BpfObject bpf = RingFixtures.Load(RingFixtures.Producers);
        using var reader = new RingBufferReader(bpf.Map("ring"));
        RingFixtures.Run(bpf, "output_fixed", Records + 1);
        using var cancel = new CancellationTokenSource();

        await using IAsyncEnumerator<FixedRecord> records = reader.ReadAllAsync<FixedRecord>(cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await records.MoveNextAsync()); // the first step starts the state machine
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong expected = 1;
        int bad = 0;
        for (int i = 0; i < Records; i++)
        {
            // Records already in the ring: each step completes synchronously, on this thread.
            ValueTask<bool> step = records.MoveNextAsync();
            bool synchronous = step.IsCompletedSuccessfully;
            if (!synchronous || !await step || records.Current.Header.Seq != expected++) bad++;
        }
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, bad);
        Assert.Equal(0, bytes);
        cancel.Cancel();
    }

    struct Counter : IRingBufferHandler
    {
        int count;

        public bool OnRecord(ReadOnlySpan<byte> record) => ++count > 0 && record.Length == 40;
    }
}
