using System.Text.Json;
using BpfSharp.Abi;
using BpfSharp.Interop.Tests.Tools;
using BpfSharp.Maps;
using Xunit;

namespace BpfSharp.Interop.Tests.Cli;

/// <summary><c>bpfsharp map list</c> and <c>map dump</c> on maps this test creates in the kernel, checked against bpftool.</summary>
public sealed class MapCommandTests
{
    [Fact]
    public void Dump_shows_struct_fields_by_name_by_id_and_by_name_and_agrees_with_bpftool()
    {
        Kernel.Require();
        using var fixtures = new KernelMapFixtures();
        string name = KernelMapFixtures.UniqueName("clid");
        using BpfMap map = fixtures.CreateWithBtf(BpfMapType.Hash, name);
        map.Update(KernelMapFixtures.Key(7), KernelMapFixtures.Counters(42, -3, "cli", 1));
        map.Update(KernelMapFixtures.Key(9), KernelMapFixtures.Counters(1, 5, "", 7));
        uint id = map.GetInfo().Id;

        string byId = BpfsharpTool.Succeed("map", "dump", id.ToString());
        string[] lines = byId.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("key: 7  value: { .hits = 42, .delta = -3, .tag = \"cli\", .st = RUNNING }", lines);
        Assert.Contains("key: 9  value: { .hits = 1, .delta = 5, .tag = \"\", .st = 7 }", lines); // 7 names no enumerator
        Assert.Equal("Found 2 elements", lines[^1]);
        Assert.Equal(byId, BpfsharpTool.Succeed("map", "dump", name));

        using JsonDocument ours = JsonDocument.Parse(BpfsharpTool.Succeed("map", "dump", id.ToString(), "--json"));
        JsonElement seven = ours.RootElement.EnumerateArray().Single(e => e.GetProperty("key").GetUInt32() == 7).GetProperty("value");
        Assert.Equal(42ul, seven.GetProperty("hits").GetUInt64());
        Assert.Equal(-3, seven.GetProperty("delta").GetInt32());
        Assert.Equal("cli", seven.GetProperty("tag").GetString());
        Assert.Equal("RUNNING", seven.GetProperty("st").GetString());

        if (!ExternalTool.Exists("bpftool")) return;
        ToolResult bpftool = ExternalTool.Run("bpftool", ["-j", "map", "dump", "id", id.ToString()]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());
        using JsonDocument theirs = JsonDocument.Parse(bpftool.StandardOutput);
        JsonElement their7 = theirs.RootElement.EnumerateArray().Select(e => e.GetProperty("formatted"))
            .Single(f => f.GetProperty("key").GetUInt32() == 7).GetProperty("value");
        foreach (string field in (string[])["hits", "delta", "tag", "st"])
            Assert.Equal(their7.GetProperty(field).ToString(), seven.GetProperty(field).ToString());
    }

    [Fact]
    public void Per_cpu_values_are_shown_for_every_possible_cpu()
    {
        Kernel.Require();
        using var fixtures = new KernelMapFixtures();
        using BpfMap map = fixtures.CreateWithBtf(BpfMapType.PerCpuArray, KernelMapFixtures.UniqueName("clip"), maxEntries: 2);
        int cpus = (int)(map.UserValueSize / 32);
        byte[] slots = new byte[map.UserValueSize];
        for (int cpu = 0; cpu < cpus; cpu++) KernelMapFixtures.Counters(100 + (ulong)cpu, -cpu, $"cpu{cpu}", 2).CopyTo(slots, cpu * 32);
        map.Update(KernelMapFixtures.Key(1), slots);

        string text = BpfsharpTool.Succeed("map", "dump", map.GetInfo().Id.ToString());

        Assert.Contains("key: 1\n", text);
        for (int cpu = 0; cpu < cpus; cpu++)
            Assert.Contains($"\tcpu {cpu}: {{ .hits = {100 + cpu}, .delta = {-cpu}, .tag = \"cpu{cpu}\", .st = DONE }}\n", text);
        Assert.Contains("\tcpu 0: { .hits = 0, .delta = 0, .tag = \"\", .st = IDLE }\n", text); // key 0, never written
        Assert.EndsWith("Found 2 elements\n", text);

        using JsonDocument json = JsonDocument.Parse(BpfsharpTool.Succeed("map", "dump", map.GetInfo().Id.ToString(), "--json"));
        JsonElement values = json.RootElement[1].GetProperty("values");
        Assert.Equal(cpus, values.GetArrayLength());
        Assert.Equal(100ul + (ulong)cpus - 1, values[cpus - 1].GetProperty("value").GetProperty("hits").GetUInt64());
    }

    [Fact]
    public void A_map_without_btf_is_dumped_in_hex_exactly_as_bpftool_prints_it()
    {
        Kernel.Require();
        using BpfMap map = BpfMap.Create(new MapSpec { Type = BpfMapType.Hash, KeySize = 4, ValueSize = 6, MaxEntries = 4, Name = KernelMapFixtures.UniqueName("clih") });
        map.Update(KernelMapFixtures.Key(0x0102), [0x2a, 0, 0xff, 1, 2, 3]);
        string id = map.GetInfo().Id.ToString();

        string ours = BpfsharpTool.Succeed("map", "dump", id);
        Assert.Equal("key: 02 01 00 00  value: 2a 00 ff 01 02 03\nFound 1 element\n", ours);

        if (!ExternalTool.Exists("bpftool")) return;
        ToolResult bpftool = ExternalTool.Run("bpftool", ["map", "dump", "id", id]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());
        Assert.Equal(bpftool.StandardOutput, ours);
    }

    [Fact]
    public void A_name_that_several_maps_share_or_none_has_is_an_error_listing_candidates()
    {
        Kernel.Require();
        string name = KernelMapFixtures.UniqueName("clin");
        var spec = new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = name };
        using BpfMap first = BpfMap.Create(spec);
        using BpfMap second = BpfMap.Create(spec);

        ToolResult ambiguous = BpfsharpTool.Run("map", "dump", name);
        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Contains($"2 maps are named '{name}'", ambiguous.StandardError);
        Assert.Contains($"id {first.GetInfo().Id}", ambiguous.StandardError);
        Assert.Contains($"id {second.GetInfo().Id}", ambiguous.StandardError);
        Assert.Contains("give the id", ambiguous.StandardError);

        ToolResult missing = BpfsharpTool.Run("map", "dump", name[..^1] + "X");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: no map is named", missing.StandardError);

        ToolResult similar = BpfsharpTool.Run("map", "dump", name[..6]); // a prefix: the full names are offered
        Assert.Equal(1, similar.ExitCode);
        Assert.Contains($"'{name}' (id {first.GetInfo().Id}, Array)", similar.StandardError);

        ToolResult noId = BpfsharpTool.Run("map", "dump", "4000000000");
        Assert.Equal(1, noId.ExitCode);
        Assert.Contains("no map with id 4000000000", noId.StandardError);
        Assert.DoesNotContain("   at ", noId.StandardError + missing.StandardError + ambiguous.StandardError);
    }

    [Fact]
    public void List_shows_a_map_this_test_made_with_the_ids_bpftool_lists()
    {
        Kernel.Require();
        using var fixtures = new KernelMapFixtures();
        string name = KernelMapFixtures.UniqueName("clil");
        using BpfMap map = fixtures.CreateWithBtf(BpfMapType.Hash, name, maxEntries: 5);
        MapInfo info = map.GetInfo();

        string text = BpfsharpTool.Succeed("map", "list");
        Assert.Contains($"{info.Id}: Hash  name {name}\n\tkey 4B  value 32B  max_entries 5\n\tbtf_id {info.BtfId}\n", text);

        using JsonDocument ours = JsonDocument.Parse(BpfsharpTool.Succeed("map", "list", "--json"));
        JsonElement mine = ours.RootElement.EnumerateArray().Single(m => m.GetProperty("id").GetUInt32() == info.Id);
        Assert.Equal(name, mine.GetProperty("name").GetString());
        Assert.Equal("Hash", mine.GetProperty("type").GetString());
        Assert.Equal(32u, mine.GetProperty("bytes_value").GetUInt32());
        Assert.Equal(info.BtfValueTypeId, mine.GetProperty("btf_value_type_id").GetUInt32());

        if (!ExternalTool.Exists("bpftool")) return;
        ToolResult bpftool = ExternalTool.Run("bpftool", ["-j", "map", "list"]);
        Assert.True(bpftool.Succeeded, bpftool.ToString());
        using JsonDocument theirs = JsonDocument.Parse(bpftool.StandardOutput);
        JsonElement their = theirs.RootElement.EnumerateArray().Single(m => m.GetProperty("id").GetUInt32() == info.Id);
        Assert.Equal(their.GetProperty("name").GetString(), mine.GetProperty("name").GetString());
        Assert.Equal(their.GetProperty("bytes_key").GetUInt32(), mine.GetProperty("bytes_key").GetUInt32());
        Assert.Equal(their.GetProperty("max_entries").GetUInt32(), mine.GetProperty("max_entries").GetUInt32());
        Assert.Equal(their.GetProperty("btf_id").GetUInt32(), mine.GetProperty("btf_id").GetUInt32());
    }
}
