using System.Globalization;

namespace BpfSharp.Cli.Commands;

/// <summary>Kernel times in nanoseconds since boot (a program's load time) as wall-clock time, as bpftool shows them.</summary>
static class BootClock
{
    static readonly Lazy<DateTimeOffset> bootTime = new(() =>
    {
        // /proc/uptime counts from boot including suspend, the same clock as a program's load time (CLOCK_BOOTTIME).
        string uptime = File.ReadAllText("/proc/uptime").Split(' ')[0];
        return DateTimeOffset.UtcNow - TimeSpan.FromSeconds(double.Parse(uptime, CultureInfo.InvariantCulture));
    });

    public static DateTimeOffset ToWallClock(ulong nanosecondsSinceBoot) =>
        bootTime.Value + TimeSpan.FromTicks((long)(nanosecondsSinceBoot / 100));

    /// <summary>Seconds since the Unix epoch (bpftool's JSON <c>loaded_at</c>).</summary>
    public static long ToUnixSeconds(ulong nanosecondsSinceBoot) => ToWallClock(nanosecondsSinceBoot).ToUnixTimeSeconds();

    /// <summary>bpftool's text form: <c>2026-11-23T20:27:08+0000</c>, in UTC.</summary>
    public static string Format(ulong nanosecondsSinceBoot) =>
        ToWallClock(nanosecondsSinceBoot).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "+0000";
}
