using System.Diagnostics;
using BpfSharp.Btf;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Core;

/// <summary>What the CO-RE tests need from the machine: kernel BTF, and for the differential tests clang-19, llvm-objcopy-19, bpftool and root.</summary>
static class CoreTestEnvironment
{
    static readonly Lazy<BtfSpec?> vmlinux = new(() => File.Exists("/sys/kernel/btf/vmlinux") ? BtfSpec.LoadKernel() : null);

    static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The running kernel's BTF, parsed once; skips (fails under CI) when the machine has none.</summary>
    public static BtfSpec Vmlinux()
    {
        if (vmlinux.Value is { } spec) return spec;
        if (InCi) Assert.Fail("CI machines have kernel BTF at /sys/kernel/btf/vmlinux; it is missing.");
        Assert.Skip("no kernel BTF on this machine");
        return null!;
    }

    /// <summary>Skips (fails under CI) unless clang-19, llvm-objcopy-19 and bpftool are installed and we are root with bpffs mounted.</summary>
    public static void RequireToolchainAndRoot()
    {
        Vmlinux();
        string? missing = new[] { "clang-19", "llvm-objcopy-19", "bpftool" }.FirstOrDefault(t => FindOnPath(t) is null);
        string? why = missing is not null ? $"{missing} is not installed"
            : Environment.UserName != "root" && geteuid() != 0 ? "loading programs with bpftool needs root"
            : !Directory.Exists("/sys/fs/bpf") ? "bpffs is not mounted at /sys/fs/bpf"
            : null;
        if (why is null) return;
        if (InCi) Assert.Fail($"CI must run the CO-RE differential tests, but {why}.");
        Assert.Skip(why);
    }

    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    [System.Runtime.InteropServices.DllImport("libc")]
    static extern uint geteuid();
}
