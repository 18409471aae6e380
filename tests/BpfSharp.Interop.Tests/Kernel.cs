using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Interop.Tests;

/// <summary>
/// Gate for tests that need the real kernel or the real tools (clang-19, gcc, libbpf, bpftool). A missing piece
/// skips the test on a developer machine but fails it under CI (CI is set): there it is a broken machine, not a pass.
/// </summary>
public static class Kernel
{
    static readonly Lazy<string?> refusal = new(Probe);

    public static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Call first in every test that loads into the kernel.</summary>
    public static void Require() => Refuse(refusal.Value);

    /// <summary>Skips (locally) or fails (CI) when <paramref name="why"/> is not null.</summary>
    public static void Refuse(string? why)
    {
        if (why is null) return;
        if (InCi) Assert.Fail($"CI requires this, but: {why}");
        Assert.Skip(why);
    }

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
            return $"no BPF-capable kernel here: {e.Message}";
        }
    }
}
