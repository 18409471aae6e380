using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;

namespace BpfSharp.Object.Tests.Btf;

/// <summary>
/// The real tools the BTF tests compare against: clang-19 to produce object BTF, bpftool to print BTF. A missing
/// tool skips the test locally and fails it under CI (CI is set), where the tools are part of the machine.
/// </summary>
static class BtfTools
{
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Skips (or under CI fails) unless <paramref name="path"/> exists.</summary>
    public static void Require(string path, string what)
    {
        if (File.Exists(path)) return;
        if (InCi) Assert.Fail($"CI machines have {what} at {path}; it is missing.");
        Assert.Skip($"no {what} ({path}) on this machine");
    }

    public static byte[] Vmlinux()
    {
        Require(VmlinuxPath, "kernel BTF");
        return File.ReadAllBytes(VmlinuxPath);
    }

    /// <summary>The fixture source next to this file.</summary>
    public static string Fixture(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", name);

    /// <summary>Compiles a fixture with clang-19 for BPF and returns the named sections of the object.</summary>
    public static Dictionary<string, byte[]> CompileSections(string fixture, string[] sections, params string[] defines)
    {
        string clang = Tool("clang-19"), objcopy = Tool("llvm-objcopy-19");
        string dir = Directory.CreateTempSubdirectory("btftest").FullName;
        try
        {
            string obj = Path.Combine(dir, "x.o");
            Run(clang, ["-g", "-O2", "-target", "bpf", "-c", Fixture(fixture), "-o", obj, .. defines.Select(d => "-D" + d)]);
            var args = new List<string>();
            foreach (string s in sections) args.AddRange(["--dump-section", $"{s}={Path.Combine(dir, s.Trim('.'))}"]);
            args.Add(obj);
            Run(objcopy, [.. args]);
            return sections.ToDictionary(s => s, s => File.ReadAllBytes(Path.Combine(dir, s.Trim('.'))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The <c>.BTF</c> section of a fixture compiled by clang-19.</summary>
    public static byte[] CompileBtf(string fixture, params string[] defines) => CompileSections(fixture, [".BTF"], defines)[".BTF"];

    /// <summary><c>bpftool btf dump file FILE [base BASE]</c> (raw format).</summary>
    public static string BpftoolRawDump(byte[] btf, byte[]? baseBtf = null)
    {
        string bpftool = Tool("bpftool");
        string dir = Directory.CreateTempSubdirectory("btftest").FullName;
        try
        {
            string file = Path.Combine(dir, "x.btf");
            File.WriteAllBytes(file, btf);
            if (baseBtf is null) return Run(bpftool, ["btf", "dump", "file", file]);
            string basePath = Path.Combine(dir, "base.btf");
            File.WriteAllBytes(basePath, baseBtf);
            return Run(bpftool, ["--base-btf", basePath, "btf", "dump", "file", file]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>libbpf's own answers (<c>btf__resolve_size</c>, <c>btf__align_of</c>) for every type: "id size align" lines.</summary>
    public static string LibbpfLayout(byte[] btf)
    {
        string gcc = Tool("gcc");
        Require("/usr/include/bpf/btf.h", "libbpf headers");
        string dir = Directory.CreateTempSubdirectory("btftest").FullName;
        try
        {
            string exe = Path.Combine(dir, "layout"), file = Path.Combine(dir, "x.btf");
            Run(gcc, ["-O2", Fixture("libbpf_layout.c"), "-o", exe, "-lbpf"]);
            File.WriteAllBytes(file, btf);
            return Run(exe, [file]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static string Tool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            string path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path)) return path;
        }
        if (InCi) Assert.Fail($"CI machines have {name}; it is missing.");
        Assert.Skip($"{name} is not installed");
        return "";
    }

    public static string Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
