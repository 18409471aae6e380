namespace BpfSharp.Maps;

/// <summary>
/// The kernel's CPU list format ("0-3", "0,2-5"), as in /sys/devices/system/cpu/online: the online CPUs are where
/// perf buffers and per-CPU perf events open their events.
/// </summary>
static class CpuList
{
    public static IReadOnlyList<int> Online() => Parse(File.ReadAllText("/sys/devices/system/cpu/online"));

    public static IReadOnlyList<int> Parse(string text)
    {
        var cpus = new List<int>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-');
            if (!int.TryParse(dash < 0 ? part : part[..dash], out int first) ||
                !int.TryParse(dash < 0 ? part : part[(dash + 1)..], out int last) || first < 0 || last < first)
                throw new FormatException($"'{text.Trim()}' is not a CPU list (expected e.g. \"0-3\" or \"0,2-5\").");
            for (int cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
        }
        return cpus;
    }
}
