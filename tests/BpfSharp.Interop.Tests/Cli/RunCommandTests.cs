using System.Diagnostics;
using System.Text.RegularExpressions;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp run</c>: load, list, wait, print every map through BTF on exit, unload.</summary>
public sealed partial class RunCommandTests
{
    [Fact]
    public void Run_for_a_duration_prints_the_objects_then_every_map_through_btf_and_unloads()
    {
        Kernel.Require();
        Require.Compiler();
        string output = BpfsharpTool.Succeed("run", FixtureCompiler.Compile("globals"), "--duration", "0.2");

        Assert.StartsWith("object globals: 5 maps, 1 programs\n", output);
        Match program = ProgramLine().Match(output);
        Assert.True(program.Success, output);
        Assert.Contains("running for 0.2 s", output);
        string atExit = output[output.IndexOf("maps at exit:\n", StringComparison.Ordinal)..];
        Assert.Contains("map .data:\nkey: 0  value: {\n    .counter = 7\n}\n", atExit);
        Assert.Contains(".cfg = {\n        .mode = 1,\n        .limit = 100,\n        .tag = \"fix\"\n    },\n    .debug_level = 0\n", atExit);
        Assert.Contains("map .rodata.custom:\nkey: 0  value: {\n    .custom_limit = 42\n}\n", atExit);
        Assert.Contains(".hist = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]", atExit);
        Assert.Equal(5, Regex.Matches(atExit, "^Found 1 element$", RegexOptions.Multiline).Count);

        // The tool unloaded what it loaded.
        Assert.Throws<BpfSyscallException>(() => BpfProgram.FromId(uint.Parse(program.Groups["id"].Value)));
    }

    [Fact]
    public async Task Run_until_sigterm_prints_the_maps_and_exits_0()
    {
        Kernel.Require();
        Require.Compiler();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])[BpfsharpTool.AssemblyPath, "run", FixtureCompiler.Compile("globals")]) start.ArgumentList.Add(a);
        using Process tool = Process.Start(start)!;
        Task<string> stderr = tool.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var seen = new System.Text.StringBuilder();
        string? line;
        while ((line = tool.StandardOutput.ReadLine()) != null && !line.StartsWith("running until Ctrl-C", StringComparison.Ordinal))
            seen.AppendLine(line);
        Assert.True(line != null, $"the tool ended before it waited: {seen}");

        Assert.Equal(0, Kill(tool.Id, "TERM"));
        string rest = await tool.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(tool.WaitForExit(TimeSpan.FromSeconds(30)), "the tool did not exit after SIGTERM");
        Assert.Equal(0, tool.ExitCode);
        Assert.Contains("stopped\n", rest);
        Assert.Contains("map .data:\nkey: 0  value: {\n    .counter = 7\n}\n", rest);
        Assert.Equal("", await stderr);
    }

    [Fact]
    public void Run_rejects_a_duration_that_is_not_positive()
    {
        ToolResult result = BpfsharpTool.Run("run", "whatever.o", "--duration", "0");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--duration must be a positive number of seconds", result.StandardError);
    }

    /// <summary>Two ring buffers, one with a record-type hint (a <c>MAP_record</c> variable), one without.</summary>
    const string EventMapsSource = """
        #define SEC(n) __attribute__((section(n), used))
        #define __uint(name, val) int (*name)[val]
        struct event { unsigned int pid; char comm[16]; };
        struct { __uint(type, 27); __uint(max_entries, 4096); } events SEC(".maps"); /* BPF_MAP_TYPE_RINGBUF */
        struct { __uint(type, 27); __uint(max_entries, 4096); } raw SEC(".maps");
        struct event *events_record;
        SEC("socket") int noop(void *ctx) { return 0; }
        char LICENSE[] SEC("license") = "GPL";
        """;

    [Fact]
    public void Run_finds_the_record_type_of_an_event_map_from_its_hint()
    {
        Kernel.Require();
        Require.Compiler();
        string dir = RunDirectory.Sub("cli_run_events");
        string source = Path.Combine(dir, "events.bpf.c"), obj = Path.Combine(dir, "events.bpf.o");
        File.WriteAllText(source, EventMapsSource);
        ToolResult clang = ExternalTool.Run(FixtureCompiler.Clang, ["-g", "-O2", "-target", "bpf", "-c", source, "-o", obj]);
        Assert.True(clang.Succeeded, clang.ToString());

        string output = BpfsharpTool.Succeed("run", obj, "--duration", "0.1");

        // Until the ring buffer reader is wired in, run names the record type it would print with.
        Assert.Contains("RingBuf 'events' would print its records (as struct event)", output);
        Assert.Contains("RingBuf 'raw' would print its records (hex, no record type found)", output);
        Assert.Contains("map events:\n(a ring buffer has no elements to list; its records are read as a stream)\n", output);
    }

    static int Kill(int pid, string signal) => ExternalTool.Run("kill", [$"-{signal}", pid.ToString()]).ExitCode;

    [GeneratedRegex(@"^program use_globals: id (?<id>\d+), SocketFilter, section 'socket'$", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
