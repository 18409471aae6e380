using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using BpfSharp.Abi;
using BpfSharp.Interop.Tests.Comparison;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Interop.Tests.Reference;

/// <summary>
/// Loads an object file with the system's libbpf 1.1 and summarises the result as a <see cref="LoadedObjectSummary"/>, the
/// reference our loader is compared with.
/// <para>
/// <see cref="Load"/> runs a small C program (<c>Reference/libbpf_reference.c</c>, built with gcc and <c>-lbpf</c> once per
/// test process) that calls <c>bpf_object__open_file</c> and <c>bpf_object__load</c> like any libbpf application, prints the
/// kernel ids of what it created and the instruction counts it submitted, and holds the object open while this process
/// reads every map and program back through BpfSharp's own runtime (<c>FromId(...).GetInfo()</c>). Pins by name go to a
/// fresh directory under /sys/fs/bpf that is removed afterwards, so parallel loads never meet.
/// </para>
/// <para>
/// <see cref="LoadWithBpftool"/> does the same through <c>bpftool prog loadall … pinmaps …</c> (bpftool 7.1 has its own
/// built-in libbpf); it cannot report submitted instruction counts and cannot load objects that pin maps by name.
/// </para>
/// </summary>
public static class LibbpfReference
{
    /// <summary>The loader name in summaries from <see cref="Load"/>.</summary>
    public const string LoaderName = "libbpf 1.1";

    /// <summary>The loader name in summaries from <see cref="LoadWithBpftool"/>.</summary>
    public const string BpftoolLoaderName = "bpftool 7.1";

    static readonly Lazy<string> harness = new(BuildHarness);
    static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Why the reference cannot run here (gcc, libbpf-dev, bpftool or bpffs missing), or null.</summary>
    public static string? Unavailable =>
        !ExternalTool.Exists("gcc") ? "gcc is not installed (needed to build the libbpf harness)"
        : !File.Exists("/usr/include/bpf/libbpf.h") ? "libbpf-dev is not installed"
        : !ExternalTool.Exists("bpftool") ? "bpftool is not installed"
        : !Directory.Exists(PinDirectory.BpffsRoot) ? $"no bpffs at {PinDirectory.BpffsRoot}"
        : null;

    /// <summary>Path of the harness binary, built on first use.</summary>
    public static string HarnessPath => harness.Value;

    /// <summary>
    /// Loads <paramref name="objectPath"/> with libbpf (open + load, nothing attached) and summarises the result. Maps with
    /// <c>LIBBPF_PIN_BY_NAME</c> are pinned under <paramref name="pinRoot"/> (libbpf's <c>pin_root_path</c>), where they stay
    /// for the caller to inspect or reuse; without one, a fresh directory is used and removed afterwards.
    /// </summary>
    public static LoadedObjectSummary Load(string objectPath, string? pinRoot = null)
    {
        if (pinRoot is not null) return LoadWithHarness(objectPath, pinRoot);
        using PinDirectory temporary = PinDirectory.Create("libbpf");
        return LoadWithHarness(objectPath, temporary.Path);
    }

    static LoadedObjectSummary LoadWithHarness(string objectPath, string pinRoot)
    {
        var info = new ProcessStartInfo(HarnessPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(objectPath);
        info.ArgumentList.Add(pinRoot);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {HarnessPath}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            Task<string?> line = process.StandardOutput.ReadLineAsync();
            if (!line.Wait(LoadTimeout))
                throw new TimeoutException($"libbpf did not finish loading {objectPath} within {LoadTimeout}");
            if (line.Result is not { } json)
            {
                process.WaitForExit(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException($"the libbpf harness printed nothing for {objectPath} (exit {(process.HasExited ? process.ExitCode : -1)}): {stderr.Result}");
            }
            // The harness holds every fd until its stdin closes: read everything back before that.
            return Summarise(JsonSerializer.Deserialize<HarnessReport>(json, JsonOptions)
                ?? throw new InvalidOperationException($"the libbpf harness printed no report: {json}"));
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) process.Kill(entireProcessTree: true);
        }
    }

    static LoadedObjectSummary Summarise(HarnessReport report)
    {
        if (report.Stage != "loaded")
        {
            LoadOutcome outcome = report.Stage == "load" && KernelRefused(report.Log) ? LoadOutcome.KernelRefused : LoadOutcome.LoaderRefused;
            return LoadedObjectSummary.Refused(LoaderName, outcome, report.Error < 0 ? (Errno)(-report.Error) : null, report.Log);
        }
        var maps = new List<MapSummary>();
        foreach (HarnessMap m in report.Maps.Where(m => m.Id != 0))
        {
            using BpfMap map = BpfMap.FromId(m.Id);
            maps.Add(MapSummary.Read(map));
        }
        var programs = new List<ProgramSummary>();
        foreach (HarnessProgram p in report.Programs.Where(p => p.Autoload && p.Id != 0))
        {
            using BpfProgram program = BpfProgram.FromId(p.Id);
            programs.Add(ProgramSummary.Read(program, p.Insns, (BpfAttachType)p.Attach));
        }
        return LoadedObjectSummary.Loaded(LoaderName, maps, programs);
    }

    /// <summary>
    /// Loads <paramref name="objectPath"/> with <c>bpftool prog loadall OBJ DIR/progs pinmaps DIR/maps</c> and reads the pins
    /// back. Submitted instruction counts and expected attach types are unknown (null) in this summary.
    /// </summary>
    public static LoadedObjectSummary LoadWithBpftool(string objectPath)
    {
        using PinDirectory dir = PinDirectory.Create("bpftool");
        string progs = Path.Combine(dir.Path, "progs"), maps = Path.Combine(dir.Path, "maps");
        ToolResult result = ExternalTool.Run("bpftool", ["prog", "loadall", objectPath, progs, "pinmaps", maps], LoadTimeout);
        if (!result.Succeeded)
        {
            string log = result.StandardError + result.StandardOutput;
            Match errno = Regex.Match(log, @"failed to load: -(\d+)");
            return LoadedObjectSummary.Refused(BpftoolLoaderName, KernelRefused(log) ? LoadOutcome.KernelRefused : LoadOutcome.LoaderRefused,
                errno.Success ? (Errno)int.Parse(errno.Groups[1].Value) : null, log);
        }
        var mapSummaries = new List<MapSummary>();
        foreach (string pin in Directory.Exists(maps) ? Directory.GetFiles(maps) : [])
        {
            using BpfMap map = BpfMap.OpenPinned(pin);
            mapSummaries.Add(MapSummary.Read(map));
        }
        var programSummaries = new List<ProgramSummary>();
        foreach (string pin in Directory.Exists(progs) ? Directory.GetFiles(progs) : [])
        {
            using BpfProgram program = BpfProgram.OpenPinned(pin);
            programSummaries.Add(ProgramSummary.Read(program));
        }
        return LoadedObjectSummary.Loaded(BpftoolLoaderName, mapSummaries, programSummaries);
    }

    /// <summary>libbpf logs these when a bpf(2) call itself failed (as opposed to libbpf refusing on its own).</summary>
    static bool KernelRefused(string log) =>
        log.Contains("BPF program load failed:", StringComparison.Ordinal)
        || log.Contains("': failed to create: ", StringComparison.Ordinal)
        || log.Contains("failed to create inner map", StringComparison.Ordinal);

    static string BuildHarness()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Reference", "libbpf_reference.c");
        string output = Path.Combine(RunDirectory.Sub("bin"), "libbpf_reference");
        ToolResult result = ExternalTool.Run("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-o", output, source, "-lbpf"]);
        if (!result.Succeeded) throw new InvalidOperationException($"building the libbpf harness failed: {result}");
        return output;
    }

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    sealed record HarnessReport(string Stage, int Error, string Log, HarnessMap[] Maps, HarnessProgram[] Programs);

    sealed record HarnessMap(string Name, uint Id);

    sealed record HarnessProgram(string Name, string Section, int Type, int Attach, bool Autoload, int Insns, uint Id);
}
