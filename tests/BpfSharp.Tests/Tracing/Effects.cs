using BpfSharp.Interop;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests.Tracing;

/// <summary>Triggers for the tracing tests and the check that an effect stopped after detach.</summary>
static class Effects
{
    /// <summary>Opens (and closes) <paramref name="count"/> files: each an openat(2) of this process.</summary>
    public static void OpenFiles(int count)
    {
        for (int i = 0; i < count; i++)
            using (File.OpenHandle("/proc/self/stat")) { }
    }

    /// <summary>100 close(-1): system calls that fail with EBADF and change nothing.</summary>
    public static void MakeSyscalls()
    {
        for (int i = 0; i < 100; i++) Assert.Equal(-9, LinuxSyscalls.Instance.Close(-1));
    }

    /// <summary>Runs /bin/true to its end and returns its pid.</summary>
    public static int RunTrue()
    {
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        int pid = child.Id;
        child.WaitForExit();
        return pid;
    }

    /// <summary>
    /// After the last fd of a link closes the program must stop running; the kernel may finish the release on a
    /// workqueue a moment later. Waits, bounded, until <paramref name="read"/> stops moving under <paramref name="trigger"/>,
    /// then it must stay still however often the trigger runs. A link that stays attached fails.
    /// </summary>
    public static void AssertStops(Func<ulong> read, Action trigger)
    {
        ulong end = read();
        for (int wait = 0; wait < 100; wait++)
        {
            trigger();
            if (read() == end) break;
            end = read();
            Thread.Sleep(10);
        }
        trigger();
        trigger();
        Assert.Equal(end, read());
    }

    public static void AssertStops(ArrayMap<ulong> counts, uint slot, Action trigger) => AssertStops(() => counts[slot], trigger);
}
