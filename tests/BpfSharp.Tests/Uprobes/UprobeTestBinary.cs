using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit;

namespace BpfSharp.Tests.Uprobes;

/// <summary>
/// The probed program (uprobe_target.c + uprobe_guarded.c, linked against the test library uprobe_lib.c), built once
/// per test process by gcc into its own temporary directory and removed when the process exits; and the BPF program
/// usdt_args.bpf.c, built by clang-19. Needs gcc, clang-19, libbpf-dev and systemtap-sdt-dev's &lt;sys/sdt.h&gt;
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
        Require(Tool("gcc"), "gcc");
        Require(SdtHeader() is not null, "<sys/sdt.h> (apt-get install systemtap-sdt-dev)");
        return built.Value;
    }

    /// <summary>
    /// The path of usdt_args.bpf.o, its programs in <c>SEC("usdt")</c>, or with <paramref name="forUprobeMulti"/> in
    /// <c>SEC("uprobe.multi")</c> (loaded with expected attach type BPF_TRACE_UPROBE_MULTI, as libbpf 1.5+ loads usdt).
    /// </summary>
    public static string UsdtProgram(bool forUprobeMulti = false)
    {
        Require(Tool("clang-19"), "clang-19");
        Require(File.Exists("/usr/include/bpf/usdt.bpf.h"), "<bpf/usdt.bpf.h> (apt-get install libbpf-dev)");
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
        string dir = System.IO.Directory.CreateTempSubdirectory("bpfsharp_uprobe_").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        string lib = Path.Combine(dir, LibraryName);
        Run("gcc", ["-O2", "-g", "-shared", "-fPIC", "-o", lib, Source("uprobe_lib.c")]);
        Run("gcc", ["-O2", "-g", "-o", Path.Combine(dir, "uprobe_target"), Source("uprobe_target.c"), Source("uprobe_guarded.c"),
            "-L", dir, "-lbpfsharp_probe", "-Wl,-rpath,$ORIGIN"]);
        return new UprobeTestBinary(dir);
    }

    static string BuildUsdtProgram(string section)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("bpfsharp_usdt_").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        string output = Path.Combine(dir, "usdt_args.bpf.o");
        string arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86";
        string triplet = arch == "arm64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        Run("clang-19", ["-g", "-O2", "-target", "bpf", $"-D__TARGET_ARCH_{arch}", $"-DPROBE_SECTION=\"{section}\"", "-I", $"/usr/include/{triplet}", "-Wall", "-Werror",
            "-c", Source("usdt_args.bpf.c"), "-o", output]);
        return output;
    }

    static string Source(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, name);

    static string? SdtHeader() =>
        new[] { "/usr/include/sys/sdt.h", "/usr/include/x86_64-linux-gnu/sys/sdt.h", "/usr/include/aarch64-linux-gnu/sys/sdt.h" }
            .FirstOrDefault(File.Exists);

    static bool Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Any(d => d.Length > 0 && File.Exists(Path.Combine(d, name)));

    static void Require(bool present, string what)
    {
        if (present) return;
        if (Kernel.InCi) Assert.Fail($"CI machines have {what} (test.sh installs it); it is missing.");
        Assert.Skip($"{what} is not installed");
    }

    static void Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr}");
    }
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
