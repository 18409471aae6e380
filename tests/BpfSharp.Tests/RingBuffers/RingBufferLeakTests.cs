using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;
using BpfSharp.Tests.Maps;
using Xunit;

namespace BpfSharp.Tests.RingBuffers;

/// <summary>Readers, pollers and writers leave no fd (epoll, eventfd) and no mapping behind. Runs alone: it counts the process's fds.</summary>
[Collection(nameof(FdCountingCollection))]
public class RingBufferLeakTests
{
    [Fact]
    public void CreatingWaitingAndDisposingLeavesNoFd()
    {
        using BpfObject producers = RingFixtures.Load(RingFixtures.Producers);
        using BpfObject consumer = RingFixtures.Load(RingFixtures.UserRingConsumer);

        void Cycle()
        {
            using (var reader = new RingBufferReader(producers.Map("ring")))
            {
                reader.Poll(_ => true, TimeSpan.Zero);
                reader.Poll(_ => true, TimeSpan.FromMilliseconds(1)); // creates the epoll set and the eventfd
            }
            using (var poller = new RingBufferPoller())
            {
                poller.Add(producers.Map("ring"), _ => true);
                poller.Poll(TimeSpan.FromMilliseconds(1));
            }
            using (var writer = new UserRingBufferWriter(consumer.Map("commands")))
            {
                while (writer.TryWrite(new byte[4000])) { }
                Assert.Throws<TimeoutException>(() => writer.ReserveBlocking(4000, TimeSpan.FromMilliseconds(1)));
                RingFixtures.Run(consumer, "drain", 1);
            }
            Assert.Throws<ArgumentException>(() => new RingBufferReader(consumer.Map("commands")));
        }

        Cycle();
        int mappingsBefore = Mappings();
        using (new RingBufferReader(producers.Map("ring")))
            Assert.Equal(mappingsBefore + 2, Mappings()); // the count sees a reader's two mappings
        (int All, int Bpf) before = Native.CountFds();
        for (int i = 0; i < 100; i++) Cycle();
        Assert.Equal(before, Native.CountFds());
        Assert.Equal(mappingsBefore, Mappings());
    }

    [Fact]
    public void AReaderOrWriterNeverDisposedIsUnmappedByItsFinalizer()
    {
        using BpfObject producers = RingFixtures.Load(RingFixtures.Producers);
        using BpfObject consumer = RingFixtures.Load(RingFixtures.UserRingConsumer);
        Forget(producers, consumer); // warm-up: lazily opened runtime files must not count as a leak
        Collect();
        int mappingsBefore = Mappings();
        int waitFdsBefore = WaitFds();

        for (int i = 0; i < 20; i++) Forget(producers, consumer);
        Collect();

        Assert.Equal(mappingsBefore, Mappings());
        Assert.Equal(waitFdsBefore, WaitFds());
    }

    /// <summary>The epoll and eventfd fds of this process (the runtime's own may come and go, so they are not compared).</summary>
    static int WaitFds() => Directory.EnumerateFiles("/proc/self/fd").Count(fd =>
    {
        try { return new FileInfo(fd).LinkTarget is "anon_inode:[eventpoll]" or "anon_inode:[eventfd]"; }
        catch (IOException) { return false; } // closed while listing
    });

    /// <summary>Maps a reader and a writer, lets both wait once (epoll set and eventfd), and drops them undisposed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static void Forget(BpfObject producers, BpfObject consumer)
    {
        var reader = new RingBufferReader(producers.Map("ring"));
        reader.Poll(_ => true, TimeSpan.FromMilliseconds(1));
        var writer = new UserRingBufferWriter(consumer.Map("commands"));
        Assert.True(writer.TryWrite(new byte[8]));
        RingFixtures.Run(consumer, "drain", 1);
    }

    static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    /// <summary>The ring mappings of this process (their lines in /proc/self/maps name the map's anon inode).</summary>
    static int Mappings() => File.ReadLines("/proc/self/maps").Count(l => l.Contains("anon_inode:bpf-map", StringComparison.Ordinal));
}
