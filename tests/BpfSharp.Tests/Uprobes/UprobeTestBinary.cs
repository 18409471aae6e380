using System.Diagnostics;
using System.Runtime.CompilerServices;
using BpfSharp.Tests.Support;

namespace BpfSharp.Tests.Uprobes;

/// <summary>
/// The probed program (uprobe_target.c + uprobe_guarded.c, linked against the test library uprobe_lib.c), built once
/// per test process by gcc into the tests' work directory; and the BPF program usdt_args.bpf.c, built by <see cref="BpfC"/>. Needs gcc, clang-19, libbpf-dev and systemtap-sdt-dev's &lt;sys/sdt.h&gt;
/// (test.sh installs them): a missing one skips the test, or fails it under CI.
/// </summary>
sealed class UprobeTestBinary
{
    static readonly Lazy<UprobeTestBinary> built = new(Build);
    static readonly Lazy<string> usdtProgram = new(() => BuildUsdtProgram("usdt"));
    static readonly Lazy<string> usdtMultiProgram = new(() => BuildUsdtProgram("uprobe.multi"));

    UprobeTestBinary(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The probed executable.</summary>
    public string Executable => Path.Combine(Directory, "uprobe_target");

    /// <summary>The test library's file name (what a library lookup by name finds).</summary>
    public const string LibraryName = "libbpfsharp_probe.so";

    public string Library => Path.Combine(Directory, LibraryName);

    /// <summary>bpfsharp_target(i, 7) summed over i in [0, n): what a uretprobe adding up return values sees.</summary>
    public static long TargetReturnSum(int n) => 10L * n * (n - 1) / 2 + 7L * n;

    public static UprobeTestBinary Get()
    {
        TestTools.Find("gcc");
        TestTools.Require(SdtHeader() is not null, "<sys/sdt.h> (apt-get install systemtap-sdt-dev)");
        return built.Value;
    }

    /// <summary>
    /// The path of usdt_args.bpf.o, its programs in <c>SEC("usdt")</c>, or with <paramref name="forUprobeMulti"/> in
    /// <c>SEC("uprobe.multi")</c> (loaded with expected attach type BPF_TRACE_UPROBE_MULTI, as libbpf 1.5+ loads usdt).
    /// </summary>
    public static string UsdtProgram(bool forUprobeMulti = false)
    {
        TestTools.Require(File.Exists("/usr/include/bpf/usdt.bpf.h"), "<bpf/usdt.bpf.h> (apt-get install libbpf-dev)");
        return forUprobeMulti ? usdtMultiProgram.Value : usdtProgram.Value;
    }

    /// <summary>A copy of the executable under a name of its own: uprobes are per file, so no other test's runs reach its probes.</summary>
    public string PrivateCopy()
    {
        string copy = Path.Combine(Directory, Kernel.UniqueName("uprobe_target"));
        File.Copy(Executable, copy);
        return copy;
    }

    /// <summary>Starts the program for <paramref name="iterations"/> rounds; it waits for <see cref="TargetProcess.Go"/>.</summary>
    public TargetProcess Start(int iterations) => new(Executable, iterations);

    /// <summary>Starts <paramref name="executable"/> (a <see cref="PrivateCopy"/>) for <paramref name="iterations"/> rounds.</summary>
    public static TargetProcess Start(string executable, int iterations) => new(executable, iterations);

    static UprobeTestBinary Build()
    {
        string dir = System.IO.Directory.CreateDirectory(Path.Combine(TestTools.WorkDirectory, "uprobe_target")).FullName;
        string gcc = TestTools.Find("gcc");
        string lib = Path.Combine(dir, LibraryName);
        TestTools.Run(gcc, ["-O2", "-g", "-shared", "-fPIC", "-o", lib, Source("uprobe_lib.c")]);
        TestTools.Run(gcc, ["-O2", "-g", "-o", Path.Combine(dir, "uprobe_target"), Source("uprobe_target.c"), Source("uprobe_guarded.c"),
            "-L", dir, "-lbpfsharp_probe", "-Wl,-rpath,$ORIGIN"]);
        return new UprobeTestBinary(dir);
    }

    static string BuildUsdtProgram(string section) => BpfC.Compile("usdt_args.bpf.c", [$"-DPROBE_SECTION=\"{section}\""]);

    static string Source(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, name);

    static string? SdtHeader() =>
        new[] { "/usr/include/sys/sdt.h", "/usr/include/x86_64-linux-gnu/sys/sdt.h", "/usr/include/aarch64-linux-gnu/sys/sdt.h" }
            .FirstOrDefault(File.Exists);
}

/// <summary>One run of the probed program: started, paused until <see cref="Go"/>, then its report.</summary>
sealed class TargetProcess : IDisposable
{
    readonly Process process;

    public TargetProcess(string executable, int iterations)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        process = Process.Start(start)!;
        string? ready = process.StandardOutput.ReadLine();
        if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
            throw new InvalidOperationException($"{executable} did not start: '{ready}' {process.StandardError.ReadToEnd()}");
        Pid = int.Parse(ready["ready ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public int Pid { get; }

    /// <summary>Lets it run its rounds and waits for it to finish; returns its report.</summary>
    public TargetReport Go()
    {
        process.StandardInput.WriteLine("go");
        process.StandardInput.Flush();
        string? done = process.StandardOutput.ReadLine();
        if (!process.WaitForExit(60_000)) process.Kill();
        if (done is null || !done.StartsWith("done ", StringComparison.Ordinal))
            throw new InvalidOperationException($"the probed program did not finish normally: '{done}' (exit {process.ExitCode}) {process.StandardError.ReadToEnd()}");
        Dictionary<string, long> fields = done["done ".Length..].Split(' ')
            .Select(f => f.Split('='))
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture));
        return new TargetReport(fields["sum"], (int)fields["guarded"], (int)fields["semaphore"]);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
    }
}

/// <param name="Sum">What the program computed (unused by probes; proves it ran).</param>
/// <param name="Guarded">How many times the semaphore-guarded USDT probe fired (the semaphore was up).</param>
/// <param name="Semaphore">The semaphore's value when the rounds started.</param>
sealed record TargetReport(long Sum, int Guarded, int Semaphore);
