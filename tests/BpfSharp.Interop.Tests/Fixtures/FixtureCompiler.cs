using System.Collections.Concurrent;
using BpfSharp.Interop.Tests.Tools;

namespace BpfSharp.Interop.Tests.Fixtures;

/// <summary>
/// Compiles the C fixtures in <c>Fixtures/*.bpf.c</c> to BPF objects with clang-19, once per test process: each fixture is
/// compiled the first time it is asked for, concurrent callers wait for the same compilation, and the object is kept in
/// the run directory until the process exits. The fixtures include <c>vmlinux.h</c>, generated once per process from the
/// running kernel's BTF by <c>bpftool btf dump … format c</c>.
/// </summary>
public static class FixtureCompiler
{
    /// <summary>The compiler every fixture is built with.</summary>
    public const string Clang = "clang-19";

    static readonly Lazy<string> includeDirectory = new(GenerateVmlinuxHeader);
    static readonly Lazy<string> targetArch = new(DetectTargetArch);
    static readonly ConcurrentDictionary<string, Lazy<string>> objects = new(StringComparer.Ordinal);

    /// <summary>Where the fixture sources are (copied beside the test binary).</summary>
    public static string SourceDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The names of every fixture (file name without <c>.bpf.c</c>), sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
        Directory.Exists(SourceDirectory)
            ? Directory.GetFiles(SourceDirectory, "*.bpf.c").Select(f => Path.GetFileName(f)[..^".bpf.c".Length]).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Why fixtures cannot be compiled on this machine (a missing tool or kernel BTF), or null when they can.</summary>
    public static string? Unavailable =>
        !ExternalTool.Exists(Clang) ? $"{Clang} is not installed (apt-get install clang-19)"
        : !ExternalTool.Exists("bpftool") ? "bpftool is not installed (needed to generate vmlinux.h)"
        : !File.Exists("/sys/kernel/btf/vmlinux") ? "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
        : !File.Exists("/usr/include/bpf/bpf_helpers.h") ? "libbpf headers are missing (apt-get install libbpf-dev)"
        : null;

    /// <summary>The <c>__TARGET_ARCH_*</c> name for this machine (from <c>uname -m</c>), e.g. <c>x86</c>, <c>arm64</c>.</summary>
    public static string TargetArch => targetArch.Value;

    /// <summary>Path of the <c>vmlinux.h</c> generated for this run.</summary>
    public static string VmlinuxHeader => Path.Combine(includeDirectory.Value, "vmlinux.h");

    /// <summary>
    /// The path of <paramref name="name"/>'s object file (<c>NAME.bpf.o</c>, so libbpf names the object NAME), compiling it on
    /// first use. Throws <see cref="FixtureCompileException"/> with clang's output when compilation fails.
    /// </summary>
    public static string Compile(string name)
    {
        if (!Names.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"no fixture '{name}' in {SourceDirectory} (have: {string.Join(", ", Names)})", nameof(name));
        return objects.GetOrAdd(name, n => new Lazy<string>(() => CompileNow(n))).Value;
    }

    /// <summary>The source file of fixture <paramref name="name"/>.</summary>
    public static string SourcePath(string name) => Path.Combine(SourceDirectory, name + ".bpf.c");

    /// <summary>The exact clang command line for <paramref name="name"/> (for messages and for rebuilding by hand).</summary>
    public static IReadOnlyList<string> Arguments(string name, string output) =>
    [
        "-g", "-O2", "-target", "bpf", $"-D__TARGET_ARCH_{TargetArch}",
        "-I", includeDirectory.Value, "-I", SourceDirectory,
        "-Wall", "-Werror",
        "-c", SourcePath(name), "-o", output,
    ];

    static string CompileNow(string name)
    {
        string output = Path.Combine(RunDirectory.Sub("objects"), name + ".bpf.o");
        string temporary = output + $".{Guid.NewGuid():N}.tmp";
        ToolResult result = ExternalTool.Run(Clang, Arguments(name, temporary));
        if (!result.Succeeded)
        {
            File.Delete(temporary);
            throw new FixtureCompileException(name, result);
        }
        File.Move(temporary, output, overwrite: true);
        return output;
    }

    static string GenerateVmlinuxHeader()
    {
        string dir = RunDirectory.Sub("include");
        ToolResult result = ExternalTool.Run("bpftool", ["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"]);
        if (!result.Succeeded) throw new InvalidOperationException($"generating vmlinux.h failed: {result}");
        File.WriteAllText(Path.Combine(dir, "vmlinux.h"), result.StandardOutput);
        return dir;
    }

    static string DetectTargetArch()
    {
        ToolResult uname = ExternalTool.Run("uname", ["-m"]);
        string machine = uname.StandardOutput.Trim();
        return machine switch
        {
            "x86_64" or "i686" or "i386" => "x86",
            "aarch64" or "arm64" => "arm64",
            "s390x" => "s390",
            "ppc64le" or "ppc64" => "powerpc",
            "riscv64" => "riscv",
            "loongarch64" => "loongarch",
            "armv7l" or "armv6l" => "arm",
            _ => throw new PlatformNotSupportedException($"no __TARGET_ARCH_ for machine '{machine}' ({uname})"),
        };
    }
}

/// <summary>clang-19 could not compile a fixture; the message carries the command and clang's diagnostics.</summary>
public sealed class FixtureCompileException(string fixture, ToolResult result)
    : Exception($"fixture '{fixture}' does not compile: {result}")
{
    public string Fixture { get; } = fixture;
    public ToolResult Result { get; } = result;
}
