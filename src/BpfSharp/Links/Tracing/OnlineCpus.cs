namespace BpfSharp.Links;

/// <summary>The CPUs that are online (/sys/devices/system/cpu/online, e.g. "0-3" or "0,2-5"): where per-CPU perf events are opened.</summary>
static class OnlineCpus
{
    public static IReadOnlyList<int> Read() => Parse(File.ReadAllText("/sys/devices/system/cpu/online"));

    public static IReadOnlyList<int> Parse(string cpuList)
    {
        var cpus = new List<int>();
        foreach (string part in cpuList.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-');
            if (!int.TryParse(dash < 0 ? part : part[..dash], out int first)
                || !int.TryParse(dash < 0 ? part : part[(dash + 1)..], out int last) || first < 0 || last < first)
                throw new FormatException($"'{cpuList.Trim()}' is not a CPU list (expected e.g. \"0-3\" or \"0,2-5\").");
            for (int cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
        }
        return cpus;
    }
}
