using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.CgroupsAndSockets;

/// <summary>
/// The C sources beside this file, built at test time: BPF programs (<c>Fixtures/*.bpf.c</c>) through
/// <see cref="BpfC"/>, and the user-space probe (<c>Fixtures/cgprobe.c</c>) with gcc, once per process.
/// </summary>
static class CFixtures
{
    static readonly Lazy<string> probe = new(() => BuildProbe());

    /// <summary>The object file of <c>Fixtures/NAME.bpf.c</c> compiled with <paramref name="defines"/> (each NAME=VALUE or NAME).</summary>
    public static string Bpf(string name, params string[] defines) =>
        BpfC.Compile(Path.Combine("Fixtures", name + ".bpf.c"), [.. defines.Select(d => "-D" + d)]);

    /// <summary>The probe executable (<c>Fixtures/cgprobe.c</c>) that runs one socket or file operation inside a cgroup.</summary>
    public static string Probe => probe.Value;

    static string BuildProbe([System.Runtime.CompilerServices.CallerFilePath] string here = "")
    {
        string output = Path.Combine(Directory.CreateDirectory(Path.Combine(TestTools.WorkDirectory, "cgprobe")).FullName, "cgprobe");
        TestTools.Run(TestTools.Find("gcc"), ["-O1", "-Wall", "-Werror", "-o", output, Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", "cgprobe.c")]);
        return output;
    }
}
