using System.Text.Json;
using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Links;
using BpfSharp.Maps;
using BpfSharp.Programs;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp prog list</c> and <c>link list</c> show a program and a raw tracepoint link this test made, with the ids bpftool lists.</summary>
public sealed class ProgAndLinkListCommandTests
{
    /// <summary>A raw_tp program that reads one map (so the program has a map id to list).</summary>
    static BpfProgram RawTracepointProgram(BpfMap map, string name) => BpfProgram.Load(new ProgramLoadOptions
    {
        Type = BpfProgramType.RawTracepoint,
        Name = name,
        Instructions = new Assembler()
            .StoreImmediate(MemorySize.Word, Register.R10, -4, 0)
            .LoadMapFd(Register.R1, map.Fd.RawValue)
            .Mov(Register.R2, Register.R10).Add(Register.R2, -4)
            .Call((int)BpfHelperId.MapLookupElem)
            .Mov(Register.R0, 0)
            .Exit()
            .Build(),
    });

    [Fact]
    public void Prog_list_shows_a_program_this_test_loaded_as_bpftool_does()
    {
        Kernel.Require();
        string name = KernelMapFixtures.UniqueName("clip");
        using BpfMap map = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, Name = name });
        using BpfProgram program = RawTracepointProgram(map, name);
        ProgramInfo info = program.GetInfo();

        string text = BpfsharpTool.Succeed("prog", "list");
        Assert.Contains($"{info.Id}: RawTracepoint  name {name}  tag {info.Tag}  gpl\n", text);
        Assert.Matches($@"\n\tloaded_at \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000  uid 0\n\txlated {info.XlatedLength}B  jited {info.JitedLength}B  map_ids {map.GetInfo().Id}\n", text[text.IndexOf($"{info.Id}: ", StringComparison.Ordinal)..]);

        using JsonDocument ours = JsonDocument.Parse(BpfsharpTool.Succeed("prog", "list", "--json"));
        JsonElement mine = ours.RootElement.EnumerateArray().Single(p => p.GetProperty("id").GetUInt32() == info.Id);

        if (!ExternalTool.Exists("bpftool")) return;
        ToolResult bpftool = ExternalTool.Run("bpftool", ["-j", "prog", "list"]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());
        using JsonDocument theirs = JsonDocument.Parse(bpftool.StandardOutput);
        JsonElement their = theirs.RootElement.EnumerateArray().Single(p => p.GetProperty("id").GetUInt32() == info.Id);
        foreach (string field in (string[])["name", "tag", "uid", "bytes_xlated", "bytes_jited", "gpl_compatible"])
            Assert.Equal(their.GetProperty(field).ToString(), mine.GetProperty(field).ToString());
        Assert.Equal(their.GetProperty("map_ids").ToString().Replace(" ", ""), mine.GetProperty("map_ids").ToString().Replace(" ", "").Replace("\n", ""));
        // Both convert the boot-relative load time to wall-clock seconds; they may round a second apart.
        Assert.InRange(mine.GetProperty("loaded_at").GetInt64() - their.GetProperty("loaded_at").GetInt64(), -2, 2);
    }

    [Fact]
    public void Link_list_shows_a_raw_tracepoint_link_with_its_program_and_tracepoint()
    {
        Kernel.Require();
        string name = KernelMapFixtures.UniqueName("clik");
        using BpfMap map = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1, Name = name });
        using BpfProgram program = RawTracepointProgram(map, name);
        using BpfLink link = BpfLink.RawTracepoint(program, "sys_enter", cookie: 77);
        LinkInfo info = link.GetInfo();

        string text = BpfsharpTool.Succeed("link", "list");
        Assert.Contains($"{info.Id}: RawTracepoint  prog {program.GetInfo().Id}\n\ttp_name sys_enter  cookie 77\n", text);

        using JsonDocument ours = JsonDocument.Parse(BpfsharpTool.Succeed("link", "list", "--json"));
        JsonElement mine = ours.RootElement.EnumerateArray().Single(l => l.GetProperty("id").GetUInt32() == info.Id);
        Assert.Equal("RawTracepoint", mine.GetProperty("type").GetString());
        Assert.Equal(program.GetInfo().Id, mine.GetProperty("program_id").GetUInt32());
        Assert.Equal("sys_enter", mine.GetProperty("tracepoint_name").GetString());
        Assert.Equal(77ul, mine.GetProperty("cookie").GetUInt64());
        Assert.False(mine.TryGetProperty("cgroup_id", out _)); // parts of other link types are left out

        if (!ExternalTool.Exists("bpftool")) return;
        ToolResult bpftool = ExternalTool.Run("bpftool", ["-j", "link", "list"]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());
        using JsonDocument theirs = JsonDocument.Parse(bpftool.StandardOutput);
        JsonElement their = theirs.RootElement.EnumerateArray().Single(l => l.GetProperty("id").GetUInt32() == info.Id);
        Assert.Equal(their.GetProperty("prog_id").GetUInt32(), mine.GetProperty("program_id").GetUInt32());
        Assert.Equal(their.GetProperty("tp_name").GetString(), mine.GetProperty("tracepoint_name").GetString());
    }
}
