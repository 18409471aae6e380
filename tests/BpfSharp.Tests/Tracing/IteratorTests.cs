using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Objects;
using Xunit;

namespace BpfSharp.Tests.Tracing;

public class IteratorTests
{
    [StructLayout(LayoutKind.Sequential)]
    unsafe struct TaskRecord
    {
        public uint Tgid;
        public uint Pid;
        public fixed byte Comm[16];
    }

    [StructLayout(LayoutKind.Sequential)]
    struct ElementRecord
    {
        public uint Key;
        public uint Padding;
        public ulong Value;
    }

    /// <summary>How many threads /proc lists now (every task the task iterator walks, kernel threads included).</summary>
    static int ThreadsInProc() =>
        Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Sum(d =>
            {
                try { return Directory.EnumerateDirectories(Path.Combine(d, "task")).Count(); }
                catch (IOException) { return 0; } // the process exited meanwhile
                catch (UnauthorizedAccessException) { return 0; }
            });

    static void AssertPlausibleTaskCount(int listed)
    {
        int proc = ThreadsInProc();
        Assert.True(listed >= proc / 2 && listed <= proc * 2, $"the iterator listed {listed} tasks, /proc lists {proc} threads");
    }

    [Fact]
    public void ListsEveryTaskAsTextIncludingThisProcess()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        using BpfLink link = BpfLink.Iterator(obj.Program("tasks_text"));

        string text = link.ReadIteratorText();

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var mine = lines.Select(l => l.Split(' ', 3)).Where(f => f[0] == Environment.ProcessId.ToString()).ToList();
        Assert.Contains(mine, f => f[1] == Environment.ProcessId.ToString()); // the main thread: pid == tgid
        Assert.True(mine.Count > 1, "a .NET process has several threads; the iterator lists each");
        AssertPlausibleTaskCount(lines.Length);
        Assert.Contains(lines, l => l.StartsWith("2 2 kthreadd", StringComparison.Ordinal)); // kernel threads too

        LinkInfo info = link.GetInfo();
        Assert.Equal(BpfLinkType.Iter, info.Type);
        Assert.Equal("task", info.IteratorTarget);
        Assert.Equal(0u, info.ProcessId);
    }

    [Fact]
    public void ListsTasksAsFixedSizeRecords()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        using BpfLink link = BpfLink.Iterator(obj.Program("tasks_records"));

        List<TaskRecord> tasks = link.ReadIteratorRecords<TaskRecord>().ToList();

        Assert.Contains(tasks, t => t.Tgid == Environment.ProcessId && t.Pid == Environment.ProcessId);
        Assert.Contains(tasks, t => t.Tgid == 2 && t.Pid == 2); // kthreadd: kernel threads too
        Assert.All(tasks, t => Assert.True(t.Pid != 0 && t.Tgid != 0 && t.Pid >= 1, $"task record {t.Tgid}/{t.Pid}"));
        AssertPlausibleTaskCount(tasks.Count);
    }

    [Fact]
    public void AProcessTargetListsOnlyThatProcessesThreads()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        using BpfLink link = BpfLink.Iterator(obj.Program("tasks_records"), IteratorTarget.Process(Environment.ProcessId));

        List<TaskRecord> tasks = link.ReadIteratorRecords<TaskRecord>().ToList();

        Assert.NotEmpty(tasks);
        Assert.All(tasks, t => Assert.Equal((uint)Environment.ProcessId, t.Tgid));
        int threads = Directory.EnumerateDirectories("/proc/self/task").Count();
        Assert.True(tasks.Count >= threads / 2 && tasks.Count <= threads * 2, $"{tasks.Count} tasks listed, /proc/self/task has {threads}");
        Assert.Equal((uint)Environment.ProcessId, link.GetInfo().ProcessId);
    }

    [Fact]
    public void ListsTheElementsOfAMapAsRecords()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        var numbers = obj.Map<HashMap<uint, ulong>>("numbers");
        var expected = new Dictionary<uint, ulong>();
        for (uint k = 1; k <= 20; k++)
        {
            expected[k] = k * 1_000_003ul;
            numbers.Update(k, expected[k]);
        }
        using BpfLink link = BpfLink.Iterator(obj.Program("map_elems"), IteratorTarget.Map(obj.Map("numbers")));

        var seen = link.ReadIteratorRecords<ElementRecord>().ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal(expected.OrderBy(p => p.Key), seen.OrderBy(p => p.Key));
        LinkInfo info = link.GetInfo();
        Assert.Equal("bpf_map_elem", info.IteratorTarget);
        Assert.Equal(obj.Map("numbers").GetInfo().Id, info.MapId);

        // A second pass sees the map as it is now.
        numbers.Remove(7);
        Assert.Equal(19, link.ReadIteratorRecords<ElementRecord>().Count());
    }

    [Fact]
    public void ReadsTheSameTextThroughTinyBuffersAndIntoSpans()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        var numbers = obj.Map<HashMap<uint, ulong>>("numbers");
        for (uint k = 0; k < 10; k++) numbers.Update(k, k);
        using BpfLink link = BpfLink.Iterator(obj.Program("map_elems"), IteratorTarget.Map(obj.Map("numbers")));

        // 7-byte reads split every 16-byte record: ReadRecords completes them.
        using (IteratorStream stream = link.OpenIterator())
        {
            var bytes = new List<byte>();
            byte[] small = new byte[7];
            int n;
            while ((n = stream.Read(small)) > 0) bytes.AddRange(small.AsSpan(0, n).ToArray());
            Assert.Equal(10 * 16, bytes.Count);
            Assert.Equal(0, stream.Read(small));
        }
        using (IteratorStream stream = link.OpenIterator())
        {
            Span<ElementRecord> records = new ElementRecord[3];
            int total = 0, read;
            while ((read = stream.ReadRecords(records)) > 0) total += read;
            Assert.Equal(10, total);
        }
    }

    [Fact]
    public void RecordsOfTheWrongSizeAreAClearError()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        var numbers = obj.Map<HashMap<uint, ulong>>("numbers");
        numbers.Update(1, 1);
        using BpfLink link = BpfLink.Iterator(obj.Program("map_elems"), IteratorTarget.Map(obj.Map("numbers")));

        // One 16-byte record read as 24-byte task records.
        var e = Assert.Throws<InvalidDataException>(() => link.ReadIteratorRecords<TaskRecord>().ToList());
        Assert.Contains("16 bytes into a 24-byte TaskRecord record", e.Message);
    }

    [Fact]
    public void APinnedIteratorIsReadThroughItsFileAndReopened()
    {
        Kernel.Require();
        using BpfObject obj = BpfObject.Load(TracingFixtures.Compile("iterators"));
        string path = $"/sys/fs/bpf/{Kernel.UniqueName("iter_pin")}";
        using (BpfLink link = BpfLink.Iterator(obj.Program("tasks_text")))
            link.Pin(path);
        try
        {
            // Reading the pinned file runs a pass, as cat would.
            string fromFile = File.ReadAllText(path);
            Assert.Contains($"{Environment.ProcessId} {Environment.ProcessId} ", fromFile);

            using BpfLink pinned = BpfLink.OpenPinned(path);
            Assert.Contains($"{Environment.ProcessId} {Environment.ProcessId} ", pinned.ReadIteratorText());
            Assert.Equal("task", pinned.GetInfo().IteratorTarget);
            pinned.Unpin();
            Assert.False(File.Exists(path));
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }
}
