using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace BpfSharp.Object.Tests.Elf;

/// <summary>clang-19, llvm-readelf-19, llvm-objdump-19 and bpftool, run from tests. Objects are cached per source text.</summary>
internal static class Toolchain
{
    static readonly string Directory = Path.Combine(Path.GetTempPath(), $"bpfsharp-elfobj-{Environment.ProcessId}");

    static string MultiarchInclude => "/usr/include/" + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64") + "-linux-gnu";

    /// <summary>Compiles <paramref name="source"/> with <c>clang-19 -g -O2 -target bpf -c</c> and returns the object's path.</summary>
    public static string Compile(string source, string extraArguments = "", string target = "bpf")
    {
        System.IO.Directory.CreateDirectory(Directory);
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\0" + extraArguments + "\0" + target)))[..16];
        string c = Path.Combine(Directory, $"t{hash}.c");
        string o = Path.Combine(Directory, $"t{hash}.o");
        if (File.Exists(o)) return o;
        // Tests running in parallel may compile the same source at once: each writes its own files, the last rename wins.
        string tmp = $"{o}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(tmp + ".c", source);
        File.Move(tmp + ".c", c, overwrite: true);
        string targetArgs = target.Length == 0 ? "" : $"-target {target}";
        var (exit, _, error) = Run("clang-19", $"-g -O2 {targetArgs} -c -I{MultiarchInclude} {extraArguments} {c} -o {tmp}");
        if (exit != 0)
            throw new InvalidOperationException($"clang-19 failed ({exit}):\n{error}");
        File.Move(tmp, o, overwrite: true);
        return o;
    }

    public static byte[] CompileBytes(string source, string extraArguments = "", string target = "bpf") =>
        File.ReadAllBytes(Compile(source, extraArguments, target));

    /// <summary>Writes <paramref name="bytes"/> to a temporary file and returns its path.</summary>
    public static string WriteTemp(byte[] bytes, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static (int Exit, string Output, string Error) Run(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs a tool that must succeed and returns its standard output.</summary>
    public static string Output(string tool, string arguments)
    {
        var (exit, output, error) = Run(tool, arguments);
        if (exit != 0)
            throw new InvalidOperationException($"{tool} {arguments} failed ({exit}):\n{error}");
        return output;
    }
}
