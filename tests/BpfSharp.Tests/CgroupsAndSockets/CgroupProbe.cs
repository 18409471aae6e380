using System.Diagnostics;
using BpfSharp.Tests.Links;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>What one run of the probe did: its exit code (0, or the errno of the call that failed) and its output.</summary>
readonly record struct ProbeResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
    public override string ToString() => $"exit {ExitCode}: {Output.Trim()}";
}

/// <summary>Runs <c>cgprobe</c> (see Fixtures/cgprobe.c): a child process that joins a cgroup and then does one operation.</summary>
static class CgroupProbe
{
    public const int EPERM = 1, ECONNREFUSED = 111;

    /// <summary>Runs <paramref name="operation"/> as a process of <paramref name="cgroup"/>.</summary>
    public static ProbeResult Run(TempCgroup cgroup, string operation, params string[] arguments) => Run(cgroup.Path, operation, arguments);

    /// <summary>Runs <paramref name="operation"/> in the cgroup directory <paramref name="cgroupPath"/> ("-": stay where the test process is).</summary>
    public static ProbeResult Run(string cgroupPath, string operation, params string[] arguments) =>
        Start(CFixtures.Probe, [cgroupPath, operation, .. arguments]);

    /// <summary>Runs <paramref name="operation"/> inside the network namespace <paramref name="netns"/> (via <c>ip netns exec</c>).</summary>
    public static ProbeResult RunIn(TempNetns netns, string operation, params string[] arguments) =>
        Start("ip", ["netns", "exec", netns.Name, CFixtures.Probe, "-", operation, .. arguments]);

    static ProbeResult Start(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new ProbeResult(p.ExitCode, output);
    }
}
