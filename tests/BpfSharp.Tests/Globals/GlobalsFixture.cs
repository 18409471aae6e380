using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;

namespace BpfSharp.Tests.Globals;

/// <summary>
/// <c>globals_live.bpf.c</c> compiled once per test process by clang-19 (no headers needed), into a temporary
/// directory removed at exit. A missing clang skips locally and fails under CI.
/// </summary>
static class GlobalsFixture
{
    static readonly Lazy<string> objectPath = new(() => Compile());

    /// <summary>The compiled object (<c>globals_live.bpf.o</c>, so the object is named <c>globals_live</c>).</summary>
    public static string ObjectPath
    {
        get
        {
            if (!File.Exists("/usr/bin/clang-19"))
            {
                if (Kernel.InCi) Assert.Fail("CI machines have clang-19; /usr/bin/clang-19 is missing.");
                Assert.Skip("clang-19 is not installed");
            }
            return objectPath.Value;
        }
    }

    static string Compile([CallerFilePath] string here = "")
    {
        string source = Path.Combine(Path.GetDirectoryName(here)!, "globals_live.bpf.c");
        string dir = Directory.CreateTempSubdirectory("bpfsharp_globals").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        string output = Path.Combine(dir, "globals_live.bpf.o");
        var start = new ProcessStartInfo("/usr/bin/clang-19") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["-g", "-O2", "-target", "bpf", "-Wall", "-Werror", "-c", source, "-o", output]) start.ArgumentList.Add(a);
        using Process clang = Process.Start(start)!;
        Task<string> stdout = clang.StandardOutput.ReadToEndAsync();
        string errors = clang.StandardError.ReadToEnd();
        clang.WaitForExit();
        if (clang.ExitCode != 0) throw new InvalidOperationException($"clang-19 failed on {source}: {errors}{stdout.Result}");
        return output;
    }
}
