using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace BpfSharp.Tests.Support;

/// <summary>
/// Compiles the BPF C fixtures beside the tests, at test time, all the same way:
/// <c>clang-19 -g -O2 -target bpf -mcpu=v3 -Wall -Werror -D__TARGET_ARCH_x86|arm64</c>, the fixture's folder and (for
/// fixtures that include it) a <c>vmlinux.h</c> of the running kernel on the include path, the multiarch system
/// headers after the rest (so <c>&lt;linux/bpf.h&gt;</c> finds <c>&lt;asm/types.h&gt;</c>).
/// </summary>
/// <remarks>
/// Each object is compiled once per test process and set of flags (cached by a hash of the source's path and text and
/// the flags; tests asking at once wait for the one compile) into <see cref="TestTools.WorkDirectory"/>, under its own
/// file name (<c>NAME.bpf.o</c>, so the loaded object is named <c>NAME</c>). <c>vmlinux.h</c> is generated once per
/// process with bpftool. A missing tool or header skips the test, or fails it under CI; a compile error throws with
/// clang's messages.
/// </remarks>
static class BpfC
{
    static readonly ConcurrentDictionary<string, Lazy<string>> objects = new(StringComparer.Ordinal);
    static readonly Lazy<string> vmlinuxDirectory = new(GenerateVmlinuxHeader);

    /// <summary>
    /// The object file of <paramref name="source"/> (a path relative to the calling test file's folder, or absolute),
    /// compiled with the extra clang <paramref name="flags"/> (<c>-DNAME=VALUE</c> …).
    /// </summary>
    public static string Compile(string source, string[]? flags = null, [CallerFilePath] string caller = "")
    {
        string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, source));
        flags ??= [];
        string clang = TestTools.Find("clang-19");
        string text = File.ReadAllText(path);
        bool vmlinux = NeedsVmlinux(path, text);
        if (vmlinux) TestTools.Find("bpftool");
        if (text.Contains("<bpf/", StringComparison.Ordinal))
            TestTools.Require(File.Exists("/usr/include/bpf/bpf_helpers.h"), "libbpf's headers (/usr/include/bpf: apt-get install libbpf-dev)");
        string key = Hash(path + "\0" + text + "\0" + string.Join("\0", flags));
        return objects.GetOrAdd(key, _ => new Lazy<string>(() => CompileNow(clang, path, flags, vmlinux, key))).Value;
    }

    /// <summary>The clang name of the architecture, for <c>-D__TARGET_ARCH_…</c> (what libbpf's <c>bpf_tracing.h</c> wants).</summary>
    public static string TargetArch => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x86";

    /// <summary>Where the system's per-architecture headers (<c>asm/…</c>) are.</summary>
    public static string MultiarchInclude =>
        "/usr/include/" + (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu");

    static string CompileNow(string clang, string source, string[] flags, bool vmlinux, string key)
    {
        string dir = Directory.CreateDirectory(Path.Combine(TestTools.WorkDirectory, "bpf", key)).FullName;
        string name = Path.GetFileName(source);
        string output = Path.Combine(dir, (name.EndsWith(".c", StringComparison.Ordinal) ? name[..^2] : name) + ".o");
        List<string> args = ["-g", "-O2", "-target", "bpf", "-mcpu=v3", "-Wall", "-Werror", $"-D__TARGET_ARCH_{TargetArch}",
            "-I", Path.GetDirectoryName(source)!];
        if (vmlinux) args.AddRange(["-I", vmlinuxDirectory.Value]);
        args.AddRange(["-idirafter", MultiarchInclude, .. flags, "-c", source, "-o", output]);
        TestTools.Run(clang, args);
        return output;
    }

    /// <summary>True when the fixture, or a header beside it, includes <c>vmlinux.h</c>.</summary>
    static bool NeedsVmlinux(string source, string text) =>
        text.Contains("vmlinux.h", StringComparison.Ordinal) ||
        Directory.EnumerateFiles(Path.GetDirectoryName(source)!, "*.h").Any(h => File.ReadAllText(h).Contains("vmlinux.h", StringComparison.Ordinal));

    static string GenerateVmlinuxHeader()
    {
        TestTools.Require(File.Exists("/sys/kernel/btf/vmlinux"), "the kernel's BTF (/sys/kernel/btf/vmlinux, CONFIG_DEBUG_INFO_BTF)");
        string header = TestTools.Run(TestTools.Find("bpftool"), ["btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"]);
        string dir = Directory.CreateDirectory(Path.Combine(TestTools.WorkDirectory, "vmlinux")).FullName;
        File.WriteAllText(Path.Combine(dir, "vmlinux.h"), header);
        return dir;
    }

    static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
