using System.Diagnostics;

namespace BpfSharp.Bench.Compiler.Runner;

/// <summary>
/// Compile time: clang as the user runs it (one process per file, wall time from start to exit, object written to
/// disk) against the BpfSharp compiler warm in this process (the same call repeated after a warm-up; the object
/// stays in memory).
/// </summary>
static class CompileTiming
{
    /// <summary>Wall times in ms of <paramref name="iterations"/> clang runs (after one untimed run).</summary>
    public static List<double> Clang(string clangCommand, string source, int iterations)
    {
        string[] words = clangCommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string output = Path.Combine(Path.GetTempPath(), $"bpfsharp-bench-{Environment.ProcessId}-{Path.GetFileNameWithoutExtension(source)}.o");
        var times = new List<double>();
        try
        {
            for (int i = 0; i <= iterations; i++)
            {
                var psi = new ProcessStartInfo(words[0]) { RedirectStandardError = true, UseShellExecute = false };
                foreach (string w in words.Skip(1)) psi.ArgumentList.Add(w);
                foreach (string a in new[] { "-c", source, "-o", output }) psi.ArgumentList.Add(a);
                long start = Stopwatch.GetTimestamp();
                using Process p = Process.Start(psi)!;
                string stderr = p.StandardError.ReadToEnd();
                p.WaitForExit();
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                if (p.ExitCode != 0) throw new InvalidOperationException($"{clangCommand} -c {source} failed:\n{stderr}");
                if (i > 0) times.Add(elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            File.Delete(output);
        }
        return times;
    }

    /// <summary>Times in ms of <paramref name="iterations"/> in-process compilations after <paramref name="warmup"/> untimed ones; null when it does not compile.</summary>
    public static List<double>? BpfSharp(string assemblyPath, string module, int warmup, int iterations)
    {
        var times = new List<double>();
        for (int i = 0; i < warmup + iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            CSharpCompilation result = BpfSharpCompilerBridge.CompileModule(assemblyPath, module);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            if (result.ObjectBytes is null) return null;
            if (i >= warmup) times.Add(elapsed.TotalMilliseconds);
        }
        return times;
    }
}
