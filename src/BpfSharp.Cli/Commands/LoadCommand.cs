using System.CommandLine;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary><c>bpfsharp load FILE.o [--pin DIR]</c>: load every map and program (no attach), print their kernel ids; exit 1 with the error otherwise.</summary>
static class LoadCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "an eBPF ELF object (.o)" };
        var pin = new Option<DirectoryInfo?>("--pin") { Description = "pin every map and program under this bpffs directory (and use it for LIBBPF_PIN_BY_NAME maps)" };
        var command = new Command("load", "load an object's maps and programs into the kernel (no attach) and print their ids") { file, pin };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            DirectoryInfo? pinDir = parse.GetValue(pin);
            var options = new ObjectLoadOptions();
            if (pinDir != null)
            {
                pinDir.Create();
                options.PinPath = pinDir.FullName;
            }
            using BpfObject obj = BpfObject.Load(parse.GetValue(file)!.FullName, options);
            Console.WriteLine($"object {obj.Name}: {obj.Maps.Count} maps, {obj.Programs.Count} programs");
            foreach (var (name, map) in obj.Maps.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                Maps.MapInfo info = map.GetInfo();
                string pinned = PinIfAsked(pinDir, MapPinName(obj, name, info), map.PinnedPath, path => map.Pin(path));
                Console.WriteLine($"map {name}: id {info.Id}, {info.Type}, key {info.KeySize} B, value {info.ValueSize} B, max_entries {info.MaxEntries}{pinned}");
            }
            foreach (var (name, program) in obj.Programs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Programs.ProgramInfo info = program.GetInfo();
                string pinned = PinIfAsked(pinDir, name, null, path => program.Pin(path));
                Console.WriteLine($"program {name}: id {info.Id}, {info.Type}, {info.XlatedLength / 8} instructions after verification{pinned}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The file name a map gets under <c>--pin DIR</c>, as libbpf's <c>bpf_object__pin_maps</c> (and so bpftool's
    /// <c>pinmaps</c>) names it: the map's libbpf name, which for a global-data map is its kernel name (<c>OBJ.data</c>,
    /// or <c>.data.custom</c> alone), with every '.' made '_', because bpffs refuses names with a dot
    /// (<c>globals_data</c>, <c>_data_custom</c>).
    /// </summary>
    static string MapPinName(BpfObject obj, string name, Maps.MapInfo info) =>
        (obj.Spec.FindMap(name)?.Origin == MapOrigin.Data ? info.Name : name).Replace('.', '_');

    static string PinIfAsked(DirectoryInfo? dir, string fileName, string? alreadyPinned, Action<string> pin)
    {
        if (dir is null) return "";
        if (alreadyPinned != null) return $", pinned {alreadyPinned}";
        string path = Path.Combine(dir.FullName, fileName);
        if (!File.Exists(path)) pin(path);
        return $", pinned {path}";
    }
}
