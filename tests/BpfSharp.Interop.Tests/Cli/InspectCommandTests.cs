using System.Text.Json;
using System.Text.RegularExpressions;
using BpfSharp.Interop.Tests.Comparison;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Reference;
using BpfSharp.Interop.Tests.Tools;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp inspect</c> against llvm-objdump's symbol table, libbpf's view of the programs and the fixture sources.</summary>
public sealed partial class InspectCommandTests
{
    public static TheoryData<string> Objects => ["medium", "globals", "tail_calls", "map_in_map", "subprogs"];

    [Theory]
    [MemberData(nameof(Objects))]
    public void Programs_are_the_global_functions_llvm_objdump_lists_with_their_sections_and_sizes(string fixture)
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile(fixture);
        JsonElement report = InspectJson(path);
        IReadOnlyList<FunctionSymbol> symbols = FunctionSymbol.Read(path);

        var expected = symbols.Where(s => s.IsGlobal && s.Section != ".text").Select(s => (s.Name, s.Section)).Order().ToArray();
        var actual = Programs(report).Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("section").GetString()!)).Order().ToArray();
        Assert.Equal(expected, actual);

        foreach (JsonElement p in Programs(report))
        {
            string name = p.GetProperty("name").GetString()!;
            string[] subprograms = [.. p.GetProperty("subprograms").EnumerateArray().Select(s => s.GetString()!)];
            // A program's instructions are its own function followed by every .text function it calls (as libbpf links them).
            int slots = symbols.Single(s => s.Name == name && s.Section != ".text").Slots
                + subprograms.Sum(sub => symbols.Single(s => s.Name == sub && s.Section == ".text").Slots);
            Assert.Equal(slots, p.GetProperty("instructions").GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Program_types_and_instruction_counts_are_what_libbpf_submits_to_the_kernel(string fixture)
    {
        Require.LibbpfLoad();
        string path = FixtureCompiler.Compile(fixture);
        LoadedObjectSummary libbpf = LibbpfReference.Load(path);
        Assert.Equal(LoadOutcome.Loaded, libbpf.Outcome);
        JsonElement report = InspectJson(path);

        foreach (ProgramSummary expected in libbpf.Programs)
        {
            // The kernel keeps 15 characters of a program's name.
            JsonElement p = Programs(report).Single(p => Truncate(p.GetProperty("name").GetString()!) == expected.Name);
            Assert.Equal(expected.Type.ToString(), p.GetProperty("type").GetString());
            Assert.Equal(expected.SubmittedInstructions, p.GetProperty("instructions").GetInt32());
        }
        Assert.Equal(libbpf.Programs.Count, Programs(report).Count());
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Json_has_the_same_programs_and_maps_as_the_text(string fixture)
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile(fixture);
        string text = BpfsharpTool.Succeed("inspect", path);
        JsonElement report = InspectJson(path);

        Assert.Equal(report.GetProperty("name").GetString(), Regex.Match(text, "^object (\\S+),").Groups[1].Value);
        var textPrograms = ProgramLine().Matches(text).Select(m => (m.Groups["name"].Value, m.Groups["section"].Value, m.Groups["type"].Value, int.Parse(m.Groups["insns"].Value))).ToArray();
        var jsonPrograms = Programs(report).Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("section").GetString()!,
            p.GetProperty("type").GetString()!, p.GetProperty("instructions").GetInt32())).ToArray();
        Assert.NotEmpty(jsonPrograms);
        Assert.Equal(jsonPrograms, textPrograms);

        var textMaps = MapLine().Matches(text).Select(m => (m.Groups["name"].Value, m.Groups["type"].Value, uint.Parse(m.Groups["max"].Value))).ToArray();
        var jsonMaps = report.GetProperty("maps").EnumerateArray().Select(m => (m.GetProperty("name").GetString()!, m.GetProperty("type").GetString()!,
            m.GetProperty("max_entries").GetUInt32())).ToArray();
        Assert.NotEmpty(jsonMaps);
        Assert.Equal(jsonMaps, textMaps);
    }

    [Fact]
    public void Map_key_and_value_types_are_named_as_in_the_source()
    {
        Require.Compiler();
        string path = FixtureCompiler.Compile("medium");
        string source = File.ReadAllText(FixtureCompiler.SourcePath("medium"));
        JsonElement conntrack = InspectJson(path).GetProperty("maps").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "conntrack");

        string key = conntrack.GetProperty("key_type").GetString()!;
        string value = conntrack.GetProperty("value_type").GetString()!;
        Assert.Matches("^struct \\w+$", key);
        Assert.Matches("^struct \\w+$", value);
        Assert.Contains($"__type(key, {key});", source);
        Assert.Contains($"__type(value, {value});", source);
        Assert.Contains($"{key} ({conntrack.GetProperty("key_size").GetUInt32()} B)", BpfsharpTool.Succeed("inspect", path));
    }

    static JsonElement InspectJson(string path) => JsonDocument.Parse(BpfsharpTool.Succeed("inspect", path, "--json")).RootElement.Clone();

    static IEnumerable<JsonElement> Programs(JsonElement report) => report.GetProperty("programs").EnumerateArray();

    static string Truncate(string name) => name.Length > 15 ? name[..15] : name;

    [GeneratedRegex(@"^  (?<name>\w+): section '(?<section>[^']*)', (?<type>\w+)[^\n]*?, (?<insns>\d+) instructions", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();

    [GeneratedRegex(@"^  (?<name>[\w.]+): (?<type>\w+), key [^\n]*, max_entries (?<max>\d+), flags", RegexOptions.Multiline)]
    private static partial Regex MapLine();
}
