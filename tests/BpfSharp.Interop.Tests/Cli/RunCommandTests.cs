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

    static int Kill(int pid, string signal) => ExternalTool.Run("kill", [$"-{signal}", pid.ToString()]).ExitCode;

    [GeneratedRegex(@"^program use_globals: id (?<id>\d+), SocketFilter, section 'socket'$", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
