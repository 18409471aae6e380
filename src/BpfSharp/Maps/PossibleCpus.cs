namespace BpfSharp.Maps;

/// <summary>
/// The number of possible CPUs: per-CPU maps hold one value per possible CPU (not per online CPU), as listed in
/// /sys/devices/system/cpu/possible (e.g. "0-3" or "0,2-5").
/// </summary>
public static class PossibleCpus
{
    static readonly Lazy<int> count = new(() => Parse(File.ReadAllText("/sys/devices/system/cpu/possible")));

    public static int Count => count.Value;

    /// <summary>Parses the kernel's CPU list format; the count is the highest CPU number plus one.</summary>
    public static int Parse(string cpuList)
    {
        int highest = -1;
        foreach (string part in cpuList.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string last = part.Contains('-') ? part[(part.IndexOf('-') + 1)..] : part;
            if (!int.TryParse(last, out int cpu) || cpu < 0)
                throw new FormatException($"'{cpuList.Trim()}' is not a CPU list (expected e.g. \"0-3\" or \"0,2-5\").");
            highest = Math.Max(highest, cpu);
        }
        return highest >= 0 ? highest + 1 : throw new FormatException("the CPU list is empty.");
    }
}
