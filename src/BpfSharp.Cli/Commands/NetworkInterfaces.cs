namespace BpfSharp.Cli.Commands;

/// <summary>Interface names by index, from <c>/sys/class/net</c> (the current network namespace).</summary>
static class NetworkInterfaces
{
    static readonly Lazy<Dictionary<uint, string>> names = new(() =>
    {
        var byIndex = new Dictionary<uint, string>();
        if (!Directory.Exists("/sys/class/net")) return byIndex;
        foreach (string dir in Directory.EnumerateDirectories("/sys/class/net"))
        {
            try
            {
                if (uint.TryParse(File.ReadAllText(Path.Combine(dir, "ifindex")).Trim(), out uint index))
                    byIndex[index] = Path.GetFileName(dir);
            }
            catch (IOException) { } // the interface went away while listing
        }
        return byIndex;
    });

    /// <summary><c>1 (lo)</c>, or just the number for an interface of another namespace.</summary>
    public static string Describe(uint ifIndex) => names.Value.TryGetValue(ifIndex, out string? name) ? $"{ifIndex} ({name})" : ifIndex.ToString();

    /// <summary>The name, or null when the index is not in this namespace.</summary>
    public static string? Name(uint ifIndex) => names.Value.GetValueOrDefault(ifIndex);
}
