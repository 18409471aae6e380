using System.Diagnostics;
using BpfSharp.Abi;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Compiler.Tests.Emit;

/// <summary>
/// Gate for tests that need the real kernel or bpftool: skipped on a machine without them, but failed under CI
/// (CI set), where a refusal means a broken machine, not a pass.
/// </summary>
internal static class KernelGate
{
    static readonly Lazy<string?> refusal = new(Probe);

    static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static void Require()
    {
        if (refusal.Value is not { } why) return;
        if (InCi) Assert.Fail($"CI requires a BPF-capable kernel, but: {why}");
        Assert.Skip($"no BPF-capable kernel here: {why}");
    }

    public static void RequireBpftool()
    {
        Require();
        if (Run("bpftool", ["version"]).ExitCode == 0) return;
        if (InCi) Assert.Fail("CI requires bpftool on PATH.");
        Assert.Skip("bpftool is not installed.");
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
            return e.Message;
        }
    }

    /// <summary>Runs a tool to completion (two minutes at most) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        try
        {
            using Process process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} timed out");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, e.Message);
        }
    }

    /// <summary>A fresh directory on bpffs, removed with its pins on dispose.</summary>
    public sealed class PinDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateDirectory($"/sys/fs/bpf/bpfsharp_emit_{Environment.ProcessId}_{Guid.NewGuid():N}").FullName;

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
