using System.CommandLine;
using System.Text.Json;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// <c>bpfsharp map list [--json]</c>: every map in the kernel, like <c>bpftool map list</c>.
/// <c>bpfsharp map dump ID|NAME|PINNED_PATH [--json]</c>: every element, shown through the map's BTF with field names.
/// </summary>
static class MapCommand
{
    public static Command Create()
    {
        var listJson = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var list = new Command("list", "list every BPF map in the kernel: id, type, name, flags, key/value sizes, max entries, BTF id") { listJson };
        list.SetAction(parse => CommandErrors.Run(() =>
        {
            var maps = new List<MapListing>();
            foreach (BpfMap map in KernelObjects.Maps())
                using (map)
                    maps.Add(MapListing.From(map.GetInfo()));
            if (parse.GetValue(listJson))
                Console.WriteLine(JsonSerializer.Serialize(maps, ListingJson.Default.ListMapListing));
            else
                foreach (MapListing m in maps) m.WriteText(Console.Out);
            return 0;
        }));

        var target = new Argument<string>("map") { Description = "the map: its id, its name (as `map list` shows it) or a pinned path under /sys/fs/bpf" };
        var dumpJson = new Option<bool>("--json") { Description = "print JSON instead of text" };
        var dump = new Command("dump", "print every element of a map; keys and values with field names when the map has BTF, hex otherwise") { target, dumpJson };
        dump.SetAction(parse => CommandErrors.Run(() =>
        {
            using BpfMap map = MapSelector.Open(parse.GetValue(target)!);
            MapInfo info = map.GetInfo();
            var btfs = new KernelBtfById();
            if (parse.GetValue(dumpJson))
            {
                using (var writer = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                    MapDump.WriteJson(writer, map, info, btfs);
                Console.WriteLine();
            }
            else
            {
                MapDump.WriteText(Console.Out, map, info, btfs);
            }
            return 0;
        }));
        return new Command("map", "the kernel's BPF maps") { list, dump };
    }
}
