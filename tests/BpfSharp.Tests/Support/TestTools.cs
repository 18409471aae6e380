using System.Diagnostics;
using Xunit;

namespace BpfSharp.Tests.Support;

/// <summary>
/// The outside programs tests build their fixtures with (clang-19, gcc, bpftool, llvm-objcopy-19): found on the PATH,
/// run with their output captured, writing into one temporary directory per test process. What is missing skips a
/// test on a developer's machine and fails it under CI, like <see cref="Kernel.Require"/>: CI machines have it all.
/// </summary>
static class TestTools
{
    static readonly Lazy<string> workDirectory = new(CreateWorkDirectory);

    /// <summary>A directory of this test process's own, removed when it exits. Safe for parallel test runs.</summary>
    public static string WorkDirectory => workDirectory.Value;

    /// <summary>The full path of the tool <paramref name="name"/>; skips (fails under CI) when it is not installed.</summary>
    public static string Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/sbin"]))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        Unavailable($"{name} is not installed");
        return "";
    }

    /// <summary>Skips (fails under CI) unless <paramref name="present"/>; <paramref name="what"/> names what is missing and how to get it.</summary>
    public static void Require(bool present, string what)
    {
        if (!present) Unavailable($"{what} is missing");
    }

    /// <summary>Runs <paramref name="program"/> and returns its standard output; a non-zero exit throws with the command line and its standard error.</summary>
    public static string Run(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string errors = stderr.GetAwaiter().GetResult();
        if (p.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} exited with {p.ExitCode}:\n  {program} {string.Join(' ', start.ArgumentList)}\n{errors}");
        return stdout;
    }

    static void Unavailable(string why)
    {
        if (Kernel.InCi) Assert.Fail($"CI machines have every tool and header the test fixtures need (test.sh installs them), but {why}.");
        Assert.Skip(why);
    }

    static string CreateWorkDirectory()
    {
        string dir = Directory.CreateTempSubdirectory($"bpfsharp-tests-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
        return dir;
    }
}
