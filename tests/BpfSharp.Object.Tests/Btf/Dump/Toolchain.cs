using System.Diagnostics;
using Xunit;

namespace BpfSharp.Object.Tests.Btf.Dump;

/// <summary>
/// The external tools the dump tests compare against: clang-19 compiles C fixtures, llvm-objcopy-19 extracts their
/// <c>.BTF</c>, bpftool 7.1 prints the expected text. A missing tool skips the test locally and fails it under CI.
/// </summary>
static class Toolchain
{
    public const string Clang = "clang-19";
    public const string ObjCopy = "llvm-objcopy-19";
    public const string Bpftool = "bpftool";
    public const string KernelBtf = "/sys/kernel/btf/vmlinux";

    static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static void Require(params string[] tools)
    {
        foreach (string tool in tools)
        {
            if (Find(tool) is not null) continue;
            if (InCi) Assert.Fail($"CI machines have {tool}; it is not on PATH.");
            Assert.Skip($"{tool} is not installed");
        }
    }

    public static void RequireKernelBtf()
    {
        if (File.Exists(KernelBtf)) return;
        if (InCi) Assert.Fail($"CI machines have kernel BTF at {KernelBtf}; it is missing.");
        Assert.Skip("no kernel BTF on this machine");
    }

    /// <summary>Runs a tool and returns its standard output; a non-zero exit fails the test with its stderr.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = TryRun(tool, arguments);
        if (exitCode != 0)
            Assert.Fail($"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{stderr}");
        return stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Compiles a C fixture for the BPF target with BTF; returns the object's path.</summary>
    public static string CompileBpf(TempDirectory dir, string name, string source, params string[] extraArguments)
    {
        string c = dir.Write(name + ".c", source);
        string o = Path.Combine(dir.Path, name + ".o");
        Run(Clang, ["-g", "-O2", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", .. extraArguments, "-c", c, "-o", o]);
        return o;
    }

    /// <summary>The raw <c>.BTF</c> section of an object, written next to it; returns the blob's path.</summary>
    public static string ExtractBtf(string objectPath)
    {
        string blob = Path.ChangeExtension(objectPath, ".btf");
        Run(ObjCopy, $"--dump-section=.BTF={blob}", objectPath);
        return blob;
    }

    /// <summary>bpftool's dump of a BTF file (an ELF object or a raw blob) in <paramref name="format"/> (raw or c).</summary>
    public static string BpftoolDump(string path, string format) => Run(Bpftool, "btf", "dump", "file", path, "format", format);

    static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
}

/// <summary>A scratch directory removed on dispose.</summary>
sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bpfsharp-btfdump-").FullName;

    public string Write(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
