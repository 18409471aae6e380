using BpfSharp.Maps.PerfBuffers;
using Xunit;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>Records written by a program reach the reader intact: every size, every CPU, across the ring's end.</summary>
public class PerfBufferRecordTests
{
    static IReadOnlyList<int> OnlineCpus()
    {
        using var probe = new PerfProducer(Kernel.UniqueName("pb_probe"));
        using var reader = new PerfBufferReader(probe.Events, new PerfBufferOptions { PagesPerCpu = 1 });
        return reader.Cpus;
    }

    [Fact]
    public void FixedSizeRecordsArriveIntactFromTheCpuThatWroteThem()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_fixed"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 8 });
        Assert.Equal(OnlineCpus(), reader.Cpus);

        foreach (int cpu in reader.Cpus) Assert.Equal(50, producer.Emit(cpu, 64, 50));

        var checker = new SampleChecker();
        var perCpu = new Dictionary<int, int>();
        int consumed = reader.Consume((cpu, data) =>
        {
            checker.Check(cpu, data, 64);
            perCpu[cpu] = perCpu.GetValueOrDefault(cpu) + 1;
        });

        checker.AssertClean();
        Assert.Equal(50 * reader.Cpus.Count, consumed);
        foreach (int cpu in reader.Cpus)
        {
            Assert.Equal(50, perCpu[cpu]);
            Assert.Equal(50ul, checker.LastSeqOn(cpu));
        }
        Assert.Equal(0, reader.Consume((_, _) => Assert.Fail("the rings were drained")));
        Assert.Equal(0ul, reader.TotalLostSamples);
    }

    [Fact]
    public void EveryRecordSizeComesBackWithTheKernelsPaddedLength()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_sizes"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 16, Cpus = [0] });
        int[] sizes = [8, 9, 12, 13, 16, 17, 100, 255, 256, 1000, 1020, 1024, 4092, 4095, 4096];

        var checker = new SampleChecker();
        foreach (int size in sizes)
        {
            Assert.Equal(0, producer.Emit(0, size));
            Assert.Equal(1, reader.Consume((cpu, data) =>
            {
                Assert.Equal(0, cpu);
                checker.Check(cpu, data, size);
            }));
        }
        checker.AssertClean();
        Assert.Equal(sizes.Length, checker.Samples);
    }

    [Fact]
    public void RecordsThatWrapAroundTheRingEndArriveIntact()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_wrap"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] });
        long ring = reader.DataSizePerCpu;

        // 100-byte outputs take 112 bytes of ring (8 header + 4 size + 100 data, padded to 8): 4096 is no multiple
        // of 112, so records straddle the end again and again. Varying sizes then shift where the wrap falls.
        var checker = new SampleChecker();
        long ringBytes = 0;
        var random = new Random(5);
        for (int round = 0; round < 40; round++)
        {
            int size = round < 10 ? 100 : random.Next(8, 1500);
            int footprint = 8 + PerfProducer.RawSize(size) + 4;
            int count = (int)((ring - 1) / footprint); // the kernel keeps one byte free: a full ring would look empty
            Assert.Equal(count, producer.Emit(0, size, count));
            Assert.Equal(count, reader.Consume((cpu, data) => checker.Check(cpu, data, size)));
            ringBytes += (long)count * footprint;
        }
        checker.AssertClean();
        Assert.True(ringBytes > 20 * ring, $"the records went round the ring {ringBytes / ring} times");
        Assert.Equal(0ul, reader.TotalLostSamples);
    }

    [Fact]
    public void ARecordWhoseHeaderFillsTheLastBytesOfTheRingArrivesIntact()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_edge"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, Cpus = [0] });
        Assert.Equal(4096, reader.DataSizePerCpu);

        // 8-byte outputs take 24 bytes: record 342 starts 8184 bytes in, at offset 4088, so only its header fits
        // before the end and its size field and data come from the ring's start; record 171 starts at 4080.
        var checker = new SampleChecker();
        for (int chunk = 0; chunk < 4; chunk++)
        {
            Assert.Equal(100, producer.Emit(0, 8, 100));
            Assert.Equal(100, reader.Consume((cpu, data) => checker.Check(cpu, data, 8)));
        }
        checker.AssertClean();
        Assert.Equal(400ul, checker.LastSeqOn(0));
    }
}
