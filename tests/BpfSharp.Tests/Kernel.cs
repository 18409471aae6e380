using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Tests;

/// <summary>
/// Gate for tests that need the real kernel. When the kernel refuses BPF (not root, no bpf syscall) a test is
/// skipped on a developer machine, but fails under CI (CI is set): there a refusal is a broken machine, not a pass.
/// </summary>
public static class Kernel
{
    static readonly Lazy<string?> refusal = new(Probe);

    public static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Call first in every kernel test.</summary>
    public static void Require()
    {
        if (refusal.Value is not { } why) return;
        if (InCi) Assert.Fail($"CI requires a BPF-capable kernel, but: {why}");
        Assert.Skip($"no BPF-capable kernel here: {why}");
    }

    /// <summary>A name no other test (or parallel test run) uses: for pins, netns, veth and cgroups.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}";

    static int counter;

    static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        try
        {
            using BpfMap map = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1 });
            return null;
        }
        catch (BpfSyscallException e)
        {
            return e.Message;
        }
    }
}
