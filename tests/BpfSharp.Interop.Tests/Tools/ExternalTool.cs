using System.Diagnostics;

namespace BpfSharp.Interop.Tests.Tools;

/// <summary>What a finished external command printed and returned.</summary>
public sealed record ToolResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"`{Command}` exited {ExitCode}\n{StandardError}{StandardOutput}";
}

/// <summary>Runs the external tools the interop tests compare against (clang-19, gcc, bpftool) with a time limit.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/> to completion; a missing executable gives exit code 127, a timeout kills it and throws.</summary>
    public static ToolResult Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        string command = Describe(file, info.ArgumentList);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ToolResult(command, 127, "", $"{file}: {e.Message}");
        }
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{command} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
            }
            return new ToolResult(command, process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>Whether <paramref name="file"/> is an executable on PATH (or an existing path).</summary>
    public static bool Exists(string file)
    {
        if (file.Contains('/')) return File.Exists(file);
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, file))) return true;
        return false;
    }

    internal static string Describe(string file, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(file).Select(a => a.Contains(' ') ? $"'{a}'" : a));
}
