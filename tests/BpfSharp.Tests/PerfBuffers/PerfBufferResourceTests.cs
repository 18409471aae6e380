using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Maps.PerfBuffers;
using BpfSharp.Tests.Maps;
using Xunit;

namespace BpfSharp.Tests.PerfBuffers;

/// <summary>No managed allocation per record on any consuming path (a correctness property, not a timing).</summary>
public class PerfBufferAllocationTests
{
    const int Records = 3000;

    struct Counting : IPerfSampleHandler
    {
        public int Count;
        public ulong Sum;

        public void OnSample(int cpu, ReadOnlySpan<byte> data)
        {
            Count++;
            Sum += MemoryMarshal.Read<ulong>(data);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    record struct Seq(ulong Value);

    [Fact]
    public void ConsumingThousandsOfRecordsAllocatesNothing()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_alloc"));
        using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 64, Cpus = [0] });
        int count = 0;
        ulong sum = 0;
        PerfSampleHandler spans = (_, data) => { count++; sum += MemoryMarshal.Read<ulong>(data); };
        PerfRecordHandler<Seq> typed = (int _, in Seq s) => { count++; sum += s.Value; };
        var handler = new Counting();
        var paths = new (string Name, Func<int> Consume)[]
        {
            ("Consume(delegate)", () => reader.Consume(spans)),
            ("Consume(ref struct)", () => reader.Consume(ref handler)),
            ("Consume<T>(typed delegate)", () => reader.Consume(typed)),
            ("Poll(delegate, TimeSpan)", () => reader.Poll(spans, TimeSpan.FromSeconds(5), CancellationToken.None)),
            ("Poll(ref struct, TimeSpan)", () => reader.Poll(ref handler, TimeSpan.FromSeconds(5), CancellationToken.None)),
            ("Poll(delegate, ms)", () => reader.Poll(spans, 5000)),
        };
        foreach (var path in paths) // warm-up: JIT and first-call paths
        {
            Assert.Equal(0, producer.Emit(0, 64));
            Assert.Equal(1, path.Consume());
        }
        foreach (var path in paths)
        {
            Assert.Equal(Records, producer.Emit(0, 64, Records));
            long before = GC.GetAllocatedBytesForCurrentThread();
            int consumed = path.Consume();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(Records, consumed);
            Assert.True(bytes == 0, $"{path.Name} allocated {bytes} bytes for {Records} records");
        }
        Assert.Equal(0ul, reader.TotalLostSamples);
    }
}

/// <summary>Dispose gives everything back: fds, mappings, map slots. Runs alone so the process's fd count is stable.</summary>
[Collection(nameof(FdCountingCollection))]
public class PerfBufferResourceTests
{
    static (int Fds, int PerfMappings) Count()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int mappings = File.ReadLines("/proc/self/maps").Count(l => l.Contains("perf_event", StringComparison.Ordinal));
        return (Native.CountFds().All, mappings);
    }

    static (int Fds, int PerfMappings) Settled((int, int) expected)
    {
        (int, int) now = Count();
        for (int attempt = 0; attempt < 5 && now != expected; attempt++)
        {
            Thread.Sleep(50); // a runtime thread may hold a file open for a moment
            now = Count();
        }
        return now;
    }

    [Fact]
    public void DisposeClosesEveryFdUnmapsEveryRingAndClearsTheSlots()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_fds"));
        void Cycle()
        {
            using var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 2 });
            foreach (int cpu in reader.Cpus) Assert.Equal(0, producer.Emit(cpu, 64));
            Assert.Equal(reader.Cpus.Count, reader.Consume((_, _) => { }));
        }
        Cycle(); // warm-up: lazily opened runtime files must not count as a leak
        (int Fds, int PerfMappings) before = Count();

        int cpus;
        using (var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 2 }))
        {
            cpus = reader.Cpus.Count;
            (int Fds, int PerfMappings) open = Count();
            Assert.Equal(before.Fds + cpus + 2, open.Fds);                 // one perf event per CPU, the epoll fd and its wake eventfd
            Assert.Equal(before.PerfMappings + cpus, open.PerfMappings);
        }
        foreach (int cpu in Enumerable.Range(0, cpus)) Assert.Equal(-2, producer.Emit(cpu, 64)); // ENOENT: slots cleared

        for (int i = 0; i < 200; i++) Cycle();
        Assert.Equal(before, Settled(before));
    }

    [Fact]
    public void AFailedOpenLeavesNothingBehind()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_fail_fds"));
        Assert.Throws<ArgumentException>(() => new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, WakeupWatermark = 1 << 20 }));
        (int Fds, int PerfMappings) before = Count();
        for (int i = 0; i < 50; i++)
        {
            Assert.Throws<ArgumentException>(() => new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1, WakeupWatermark = 1 << 20 }));
            Assert.Throws<BpfSyscallException>(() => new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1 << 20 }));
        }
        Assert.Equal(before, Settled(before));
        Assert.Equal(-2, producer.Emit(0, 64));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void OpenAndForget(PerfProducer producer)
    {
        var reader = new PerfBufferReader(producer.Events, new PerfBufferOptions { PagesPerCpu = 1 });
        Assert.Equal(0, producer.Emit(reader.Cpus[0], 64));
    }

    [Fact]
    public void AReaderNeverDisposedIsCleanedUpByTheFinalizers()
    {
        Kernel.Require();
        using var producer = new PerfProducer(Kernel.UniqueName("pb_forgot"));
        OpenAndForget(producer); // warm-up
        (int Fds, int PerfMappings) before = Settled(Count());

        for (int i = 0; i < 20; i++) OpenAndForget(producer);

        Assert.Equal(before, Settled(before));
        Assert.Equal(-2, producer.Emit(0, 64)); // ENOENT: the finalizer cleared the slot
    }
}
