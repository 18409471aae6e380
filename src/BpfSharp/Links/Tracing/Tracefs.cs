namespace BpfSharp.Links;

/// <summary>
/// The kernel's tracing file system: where tracepoint ids are read and legacy kprobes are created. Mounted at
/// <c>/sys/kernel/tracing</c> on current systems, reachable through debugfs at <c>/sys/kernel/debug/tracing</c> on older ones.
/// </summary>
public static class Tracefs
{
    static readonly string[] Candidates = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];

    /// <summary>The mounted tracefs directory (the first of the usual places that has an <c>events</c> directory), or null.</summary>
    public static string? Root => Candidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, "events")));

    /// <summary>The mounted tracefs directory.</summary>
    /// <exception cref="BpfNotSupportedException">tracefs is mounted at neither usual place.</exception>
    public static string RequireRoot() => Root ?? throw new BpfNotSupportedException(
        $"tracefs is not mounted (looked for an 'events' directory in {string.Join(" and ", Candidates)}): " +
        "mount it with 'mount -t tracefs nodev /sys/kernel/tracing'.");

    /// <summary>
    /// The id of tracepoint <paramref name="category"/>/<paramref name="name"/> (the <c>config</c> of a PERF_TYPE_TRACEPOINT
    /// event), read from <c>events/CATEGORY/NAME/id</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No such tracepoint; the message names the file that was looked for.</exception>
    /// <exception cref="BpfNotSupportedException">tracefs is not mounted.</exception>
    public static ulong TracepointId(string category, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(category);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (category.Contains('/') || category.Contains("..") || name.Contains('/') || name.Contains(".."))
            throw new ArgumentException($"'{category}/{name}' is not a tracepoint name: category and name are single path components (e.g. \"syscalls\", \"sys_enter_openat\").");
        string root = RequireRoot();
        string path = Path.Combine(root, "events", category, name, "id");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArgumentException(
                $"no tracepoint '{category}/{name}': {path} does not exist. The tracepoints this kernel has are listed in {Path.Combine(root, "available_events")} (as category:name).", e);
        }
        return ulong.TryParse(text.Trim(), out ulong id) ? id
            : throw new FormatException($"{path} holds '{text.Trim()}', not a tracepoint id.");
    }
}
