using System.Text.Json;
using System.Text.RegularExpressions;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Tools;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp disasm</c>: source lines from line_info match the fixture's C file; counts agree with inspect.</summary>
public sealed partial class DisasmCommandTests
{
    [Fact]
    public void Source_lines_interleaved_are_the_lines_of_the_fixture_source()
    {
        Require.Compiler();
        string output = BpfsharpTool.Succeed("disasm", FixtureCompiler.Compile("medium"));
        string[] source = File.ReadAllLines(FixtureCompiler.SourcePath("medium"));

        var comments = SourceComment().Matches(output).ToArray();
        Assert.True(comments.Length > 20, output);
        foreach (Match c in comments)
        {
            Assert.Equal("medium.bpf.c", c.Groups["file"].Value);
            int line = int.Parse(c.Groups["line"].Value);
            Assert.InRange(line, 1, source.Length);
            Assert.Equal(source[line - 1].Trim(), c.Groups["text"].Value);
        }
    }

    [Theory]
    [InlineData("medium")]
    [InlineData("subprogs")]
    [InlineData("tail_calls")]
    public void Each_program_has_as_many_slots_as_inspect_counts(string fixture)
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile(fixture);
        Dictionary<string, int> counted = SlotsPerProgram(BpfsharpTool.Succeed("disasm", path));
        using JsonDocument report = JsonDocument.Parse(BpfsharpTool.Succeed("inspect", path, "--json"));
        var expected = report.RootElement.GetProperty("programs").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("instructions").GetInt32());
        Assert.Equal(expected.OrderBy(e => e.Key), counted.OrderBy(e => e.Key));
    }

    [Fact]
    public void Program_option_prints_only_that_program()
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile("medium");
        string all = BpfsharpTool.Succeed("disasm", path);
        string one = BpfsharpTool.Succeed("disasm", path, "--program", "tc_conntrack");
        Assert.Equal(["tc_conntrack"], SlotsPerProgram(one).Keys);
        Assert.Contains(one.TrimEnd(), all);
    }

    [Fact]
    public void Unknown_program_exits_1_listing_the_programs()
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile("medium");
        ToolResult result = BpfsharpTool.Run("disasm", path, "--program", "no_such_prog");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains("no_such_prog", result.StandardError);
        foreach (FunctionSymbol f in FunctionSymbol.Read(path).Where(s => s.IsGlobal && s.Section != ".text"))
            Assert.Contains(f.Name, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    /// <summary>Slots per program: every function ends with an exit (one slot), so the count is the last slot + 1.</summary>
    static Dictionary<string, int> SlotsPerProgram(string disassembly)
    {
        var counts = new Dictionary<string, int>();
        var last = new Dictionary<string, string>();
        string? current = null;
        foreach (string line in disassembly.Split('\n'))
        {
            Match header = ProgramHeader().Match(line);
            if (header.Success) { current = header.Groups[1].Value; continue; }
            Match insn = InstructionLine().Match(line);
            if (!insn.Success || current is null) continue;
            counts[current] = int.Parse(insn.Groups[1].Value) + 1;
            last[current] = line;
        }
        foreach (var (program, line) in last) Assert.True(line.EndsWith("exit", StringComparison.Ordinal), $"{program} ends with '{line}'");
        return counts;
    }

    [GeneratedRegex(@"^; (?<text>.*) \[(?<file>[^:\]]+):(?<line>\d+)\]$", RegexOptions.Multiline)]
    private static partial Regex SourceComment();

    [GeneratedRegex(@"^(\w+) \(section '")]
    private static partial Regex ProgramHeader();

    [GeneratedRegex(@"^\s*(\d+): ")]
    private static partial Regex InstructionLine();
}
