using BpfSharp.Abi;
using BpfSharp.Maps.PerfBuffers;
using Xunit;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>
/// Samples that do not fit are refused by bpf_perf_event_output (-ENOSPC) and reported to the reader in a
/// PERF_RECORD_LOST once space frees up: produced = consumed + lost, exactly, per CPU.
/// </summary>
public class PerfBufferLostTests
{
    const int ENOSPC = 28;

    [Fact]
    public void AFullRingRefusesWithEnospcAndTheLossIsReportedWithTheNextRecord()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_lost"));
        var reports = new List<(int Cpu, ulong Lost)>();
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions
        {
            PagesPerCpu = 1, Cpus = [0], LostHandler = (cpu, lost) => reports.Add((cpu, lost)),
        });

        // 100-byte outputs take 112 bytes: 36 fit in 4096 - 1 bytes, the other 64 are refused.
        var results = Enumerable.Range(0, 100).Select(_ => producer.Emit(0, 100)).ToList();
        Assert.Equal(36, results.Count(r => r == 0));
        Assert.All(results.Skip(36), r => Assert.Equal(-ENOSPC, r));

        var checker = new SampleChecker();
        Assert.Equal(36, reader.Consume((cpu, data) => checker.Check(cpu, data, 100)));
        Assert.Empty(reports); // the kernel writes the LOST record only when it can write again
        Assert.Equal(0ul, reader.TotalLostSamples);

        Assert.Equal(0, producer.Emit(0, 100));
        Assert.Equal(1, reader.Consume((cpu, data) => checker.Check(cpu, data, 100)));
        checker.AssertClean();

        Assert.Equal([(0, 64ul)], reports);
        Assert.Equal(64ul, reader.LostSamples(0));
        Assert.Equal(64ul, reader.TotalLostSamples);
        Assert.Equal(64ul, checker.GapsOn(0));                   // seq 1..36, then 101
        Assert.Equal(101ul, producer.Written + producer.Refused);
        Assert.Equal(producer.Written, (ulong)checker.Samples);
        Assert.Equal(producer.Refused, reader.TotalLostSamples);
    }

    [Fact]
    public void UnderOverloadProducedEqualsConsumedPlusLostOnEveryCpu()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_over"));
        ulong reported = 0;
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions
        {
            PagesPerCpu = 2, LostHandler = (_, lost) => reported += lost,
        });
        var checker = new SampleChecker();
        int[] sizes = [16, 64, 200, 1000];

        // Bursts of test runs (a socket filter, repeat 20,000) on another thread while this one polls: the producer
        // outruns the consumer (wakeups per record are slow here), so most records are dropped and some get through.
        Exception? failure = null;
        var produce = new Thread(() =>
        {
            try
            {
                foreach (int size in sizes) producer.Burst(size, 20_000);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        produce.Start();
        while (produce.IsAlive)
            reader.Poll((cpu, data) => checker.Check(cpu, data), TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        produce.Join();
        Assert.Null(failure);
        reader.Consume((cpu, data) => checker.Check(cpu, data));

        // Losses are reported only once a record fits again: one more record on every CPU flushes them.
        foreach (int cpu in reader.Cpus) Assert.Equal(0, producer.Emit(cpu, 64));
        reader.Consume((cpu, data) => checker.Check(cpu, data));
        checker.AssertClean();

        ulong produced = producer.Written + producer.Refused;
        Assert.Equal(4ul * 20_000 + (ulong)reader.Cpus.Count, produced);
        Assert.True(producer.Refused > 0, "the burst never overran a 2-page ring: no overload was tested");
        Assert.True(checker.Samples > 0);
        Assert.Equal(producer.Written, (ulong)checker.Samples);
        Assert.Equal(producer.Refused, reader.TotalLostSamples);
        Assert.Equal(reader.TotalLostSamples, reported);
        Assert.Equal(produced, (ulong)checker.Samples + reader.TotalLostSamples);
        foreach (int cpu in reader.Cpus) Assert.Equal(checker.GapsOn(cpu), reader.LostSamples(cpu));
    }

    [Fact]
    public void ALostHandlerThatThrowsDoesNotStopTheCounting()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_lost_throw"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions
        {
            PagesPerCpu = 1, Cpus = [0], LostHandler = (_, _) => throw new InvalidOperationException("handler failed"),
        });
        Assert.Equal(36, producer.Emit(0, 100, 40));
        Assert.Equal(36, reader.Consume((_, _) => { }));
        Assert.Equal(0, producer.Emit(0, 100));

        Assert.Throws<InvalidOperationException>(() => reader.Consume((_, _) => { }));
        Assert.Equal(4ul, reader.TotalLostSamples);
        // The LOST record was consumed with the exception; the sample after it is still there.
        Assert.Equal(1, reader.Consume((_, _) => { }));
        Assert.Equal(4ul, reader.TotalLostSamples);
    }

    [Fact]
    public void WritingToARingThisReaderHasNotOpenedFails()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_noslot"));
        const int ENOENT = 2;
        Assert.Equal(-ENOENT, producer.Emit(0, 64)); // no reader yet: the slot is empty
        using (var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] }))
            Assert.Equal(0, producer.Emit(0, 64));
        Assert.Equal(-ENOENT, producer.Emit(0, 64)); // Dispose cleared the slot
        Assert.Equal((Errno)ENOENT, Errno.ENOENT);
    }
}
