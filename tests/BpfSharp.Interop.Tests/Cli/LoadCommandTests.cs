using System.Text.Json;
using System.Text.RegularExpressions;
using BpfSharp.Interop.Tests.Fixtures;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp load</c> in the real kernel: what it prints, the pins it leaves, how it fails.</summary>
public sealed partial class LoadCommandTests
{
    [Theory]
    [InlineData("medium")]
    [InlineData("map_in_map")]
    [InlineData("tail_calls")]
    [InlineData("globals")]
    public void Pins_every_map_and_program_under_the_kernel_ids_it_prints(string fixture)
    {
        Kernel.Require();
        Require.Compiler();
        string path = FixtureCompiler.Compile(fixture);
        using JsonDocument report = JsonDocument.Parse(BpfsharpTool.Succeed("inspect", path, "--json"));
        using PinDirectory pins = PinDirectory.Create("cli_load");

        string output = BpfsharpTool.Succeed("load", path, "--pin", pins.Path);

        var maps = MapLine().Matches(output).ToArray();
        var programs = ProgramLine().Matches(output).ToArray();
        Assert.Equal(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 1 + maps.Length + programs.Length);
        Assert.Matches($"^object {fixture}: {maps.Length} maps, {programs.Length} programs\n", output);
        Assert.Equal(Names(report, "maps"), maps.Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal));
        Assert.Equal(Names(report, "programs", p => p.GetProperty("autoload").GetBoolean()), programs.Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal));

        // The pins keep the objects alive after the tool exits: each one must be the object the tool printed.
        foreach (Match m in maps)
        {
            Assert.StartsWith(pins.Path + "/", m.Groups["pin"].Value);
            using BpfMap map = BpfMap.OpenPinned(m.Groups["pin"].Value);
            MapInfo info = map.GetInfo();
            Assert.Equal(uint.Parse(m.Groups["id"].Value), info.Id);
            Assert.Equal(m.Groups["type"].Value, info.Type.ToString());
            Assert.Equal(uint.Parse(m.Groups["max"].Value), info.MaxEntries);
        }
        foreach (Match m in programs)
        {
            Assert.StartsWith(pins.Path + "/", m.Groups["pin"].Value);
            using BpfProgram program = BpfProgram.OpenPinned(m.Groups["pin"].Value);
            ProgramInfo info = program.GetInfo();
            Assert.Equal(uint.Parse(m.Groups["id"].Value), info.Id);
            Assert.Equal(m.Groups["type"].Value, info.Type.ToString());
            Assert.Equal(int.Parse(m.Groups["xlated"].Value), (int)(info.XlatedLength / 8));
        }
        Assert.Equal(maps.Length + programs.Length, maps.Concat(programs).Select(m => m.Groups["pin"].Value).Distinct().Count());
    }

    [Fact]
    public void Pins_maps_under_the_names_libbpf_and_bpftool_give_them_with_dots_made_underscores()
    {
        Kernel.Require();
        Require.Compiler();
        string path = FixtureCompiler.Compile("globals"); // .data, .rodata, .bss, .data.custom, .rodata.custom
        using PinDirectory ours = PinDirectory.Create("cli_load_names");
        using PinDirectory bpftoolPrograms = PinDirectory.Create("cli_load_names_progs");
        using PinDirectory bpftoolMaps = PinDirectory.Create("cli_load_names_maps");

        BpfsharpTool.Succeed("load", path, "--pin", ours.Path);
        ToolResult bpftool = ExternalTool.Run("bpftool", ["prog", "loadall", path, bpftoolPrograms.Path, "pinmaps", bpftoolMaps.Path]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());

        string[] expected = ["_data_custom", "_rodata_custom", "globals_bss", "globals_data", "globals_rodata", "use_globals"];
        Assert.Equal(expected, PinNames(ours.Path));
        Assert.Equal(expected, PinNames(bpftoolMaps.Path).Concat(PinNames(bpftoolPrograms.Path)).Order(StringComparer.Ordinal));
    }

    static IEnumerable<string> PinNames(string directory) =>
        Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Fact]
    public void Without_pin_it_loads_and_prints_ids_then_releases_everything()
    {
        Kernel.Require();
        Require.Compiler();
        string output = BpfsharpTool.Succeed("load", FixtureCompiler.Compile("globals"));
        Match program = ProgramLine().Match(output);
        Assert.True(program.Success, output);
        Assert.Equal("", program.Groups["pin"].Value);
        Assert.Throws<BpfSyscallException>(() => BpfProgram.FromId(uint.Parse(program.Groups["id"].Value)));
    }

    [Fact]
    public void A_program_the_kernel_refuses_exits_1_naming_it()
    {
        Kernel.Require();
        Require.Compiler();
        Fixture fentry = FixtureCatalog.All.Single(f => f.Name == "prog_fentry");
        Assert.NotNull(fentry.KernelRefuses);
        ToolResult result = BpfsharpTool.Run("load", fentry.ObjectPath);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError);
        Assert.Contains(fentry.KernelRefuses.ToString()!, result.StandardError);
        string[] programs = [.. FunctionSymbol.Read(fentry.ObjectPath).Where(s => s.IsGlobal && s.Section != ".text").Select(s => s.Name)];
        Assert.Contains(programs, p => result.StandardError.Contains($"'{p}'", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    [Theory]
    [InlineData("load")]
    [InlineData("inspect")]
    [InlineData("disasm")]
    [InlineData("btf", "dump")]
    public void A_truncated_object_exits_1_with_a_format_error_and_no_stack_trace(params string[] command)
    {
        Require.Compiler();
        string truncated = Path.Combine(RunDirectory.Sub("cli"), $"truncated_{Guid.NewGuid():N}.bpf.o");
        File.WriteAllBytes(truncated, File.ReadAllBytes(FixtureCompiler.Compile("medium"))[..1000]);

        ToolResult result = BpfsharpTool.Run([.. command, truncated]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith("error: ", result.StandardError);
        Assert.Contains("truncated", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardError);
    }

    [Fact]
    public void A_missing_file_exits_1_with_the_path()
    {
        string missing = Path.Combine(RunDirectory.Path, "no_such_object.o");
        ToolResult result = BpfsharpTool.Run("load", missing);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
    }

    static IEnumerable<string> Names(JsonDocument report, string list, Func<JsonElement, bool>? where = null) =>
        report.RootElement.GetProperty(list).EnumerateArray().Where(where ?? (_ => true))
            .Select(e => e.GetProperty("name").GetString()!).Order(StringComparer.Ordinal);

    [GeneratedRegex(@"^map (?<name>[\w.]+): id (?<id>\d+), (?<type>\w+), key \d+ B, value \d+ B, max_entries (?<max>\d+)(, pinned (?<pin>\S+))?$", RegexOptions.Multiline)]
    private static partial Regex MapLine();

    [GeneratedRegex(@"^program (?<name>\w+): id (?<id>\d+), (?<type>\w+), (?<xlated>\d+) instructions after verification(, pinned (?<pin>\S+))?$", RegexOptions.Multiline)]
    private static partial Regex ProgramLine();
}
