using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;

namespace BpfSharp.Tests.Tracing;

/// <summary>
/// The C programs of Tracing/Fixtures compiled by clang-19 at test time, once per test process, against a vmlinux.h
/// generated from the running kernel's BTF (bpftool btf dump … format c) and libbpf's headers.
/// </summary>
static class TracingFixtures
{
    static readonly Lazy<string> workDirectory = new(CreateWorkDirectory);
    static readonly Lazy<string> includeDirectory = new(GenerateVmlinuxHeader);
    static readonly ConcurrentDictionary<string, Lazy<string>> objects = new(StringComparer.Ordinal);

    /// <summary>The object file of fixture <paramref name="name"/> (Fixtures/NAME.bpf.c), compiled on first use.</summary>
    public static string Compile(string name, [CallerFilePath] string here = "")
    {
        string source = Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", name + ".bpf.c");
        Tool("clang-19");
        Tool("bpftool");
        if (!File.Exists("/usr/include/bpf/bpf_helpers.h")) Unavailable("libbpf headers (/usr/include/bpf) are missing");
        return objects.GetOrAdd(name, _ => new Lazy<string>(() => CompileNow(name, source))).Value;
    }

    static string CompileNow(string name, string source)
    {
        string output = Path.Combine(workDirectory.Value, name + ".bpf.o");
        string arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            _ => "x86",
        };
        Run("clang-19", ["-g", "-O2", "-target", "bpf", $"-D__TARGET_ARCH_{arch}", "-I", includeDirectory.Value,
            "-Wall", "-Werror", "-c", source, "-o", output]);
        return output;
    }

    static string GenerateVmlinuxHeader()
    {
        string header = Run("bpftool", ["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"]);
        string dir = Directory.CreateDirectory(Path.Combine(workDirectory.Value, "include")).FullName;
        File.WriteAllText(Path.Combine(dir, "vmlinux.h"), header);
        return dir;
    }

    static string CreateWorkDirectory()
    {
        string dir = Directory.CreateTempSubdirectory($"bpfsharp-tracing-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        };
        return dir;
    }

    static void Tool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return;
        Unavailable($"{name} is not installed");
    }

    static void Unavailable(string why)
    {
        if (Kernel.InCi) Assert.Fail($"CI machines have what the tracing fixtures need, but {why}.");
        Assert.Skip(why);
    }

    static string Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
