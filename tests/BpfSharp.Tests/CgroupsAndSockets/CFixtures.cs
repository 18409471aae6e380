using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// Builds the C sources beside this file at test time, once per process and set of defines: BPF programs
/// (<c>Fixtures/*.bpf.c</c>) with clang-19 against a <c>vmlinux.h</c> generated from the running kernel's BTF, and
/// the user-space probe (<c>Fixtures/cgprobe.c</c>) with gcc. Everything lands in one temporary directory that is
/// removed when the process exits.
/// </summary>
static class CFixtures
{
    static readonly string work = Directory.CreateTempSubdirectory("bpfsharp_cgsock_").FullName;
    static readonly ConcurrentDictionary<string, Lazy<string>> built = new(StringComparer.Ordinal);
    static readonly Lazy<string> vmlinuxDirectory = new(GenerateVmlinuxHeader);
    static int objects;

    static CFixtures() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    };

    static string SourceDirectory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Fixtures");

    /// <summary>The object file of <c>Fixtures/NAME.bpf.c</c> compiled with <paramref name="defines"/> (each NAME=VALUE or NAME).</summary>
    public static string Bpf(string name, params string[] defines)
    {
        string key = name + "|" + string.Join("|", defines);
        return built.GetOrAdd(key, _ => new Lazy<string>(() =>
        {
            string output = Path.Combine(work, $"{name}_{Interlocked.Increment(ref objects)}.bpf.o");
            string arch = RuntimeArch();
            Run(Tool("clang-19"), ["-g", "-O2", "-target", "bpf", "-mcpu=v3", $"-D__TARGET_ARCH_{arch}", "-I", vmlinuxDirectory.Value,
                "-I", SourceDirectory(), "-Wall", "-Werror", .. defines.Select(d => "-D" + d),
                "-c", Path.Combine(SourceDirectory(), name + ".bpf.c"), "-o", output]);
            return output;
        })).Value;
    }

    /// <summary>The probe executable (<c>Fixtures/cgprobe.c</c>) that runs one socket or file operation inside a cgroup.</summary>
    public static string Probe => built.GetOrAdd("cgprobe", _ => new Lazy<string>(() =>
    {
        string output = Path.Combine(work, "cgprobe");
        Run(Tool("gcc"), ["-O1", "-Wall", "-Werror", "-o", output, Path.Combine(SourceDirectory(), "cgprobe.c")]);
        return output;
    })).Value;

    static string GenerateVmlinuxHeader()
    {
        string dir = Path.Combine(work, "include");
        Directory.CreateDirectory(dir);
        string header = Run(Tool("bpftool"), ["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"]);
        File.WriteAllText(Path.Combine(dir, "vmlinux.h"), header);
        return dir;
    }

    static string RuntimeArch() => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        _ => "x86",
    };

    static string Tool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/sbin"]))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        if (Kernel.InCi) Assert.Fail($"CI machines have {name}; it is missing.");
        Assert.Skip($"{name} is not installed");
        return "";
    }

    static string Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        return stdout;
    }
}
