using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The map a command line names: a kernel id (digits), a pinned path (starting with '/'), or a name. A name must match
/// exactly one map's kernel name (at most 15 characters: longer names are cut the way the kernel cut them); otherwise
/// the error lists the maps it could have meant.
/// </summary>
static class MapSelector
{
    const int KernelNameLength = 15;

    public static BpfMap Open(string what)
    {
        if (what.StartsWith('/')) return BpfMap.OpenPinned(what);
        if (uint.TryParse(what, out uint id))
        {
            try
            {
                return BpfMap.FromId(id);
            }
            catch (BpfSyscallException e) when (e.Errno == Errno.ENOENT)
            {
                throw new CliUsageException($"there is no map with id {id}; list them with `bpfsharp map list`.");
            }
        }
        return ByName(what);
    }

    static BpfMap ByName(string name)
    {
        string wanted = name.Length > KernelNameLength ? name[..KernelNameLength] : name;
        var all = new List<MapInfo>();
        BpfMap? match = null;
        try
        {
            foreach (BpfMap map in KernelObjects.Maps())
            {
                MapInfo info = map.GetInfo();
                all.Add(info);
                if (info.Name == wanted && match is null) match = map;
                else map.Dispose();
            }
            MapInfo[] exact = [.. all.Where(m => m.Name == wanted)];
            if (exact.Length == 1) return match!;
            match?.Dispose();
            match = null;
            if (exact.Length > 1)
                throw new CliUsageException($"{exact.Length} maps are named '{wanted}': {Describe(exact)}; give the id instead.");
            MapInfo[] similar = [.. all.Where(m => m.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase)
                || wanted.Contains(m.Name, StringComparison.OrdinalIgnoreCase) && m.Name.Length > 0)];
            string cut = name.Length > KernelNameLength ? $" (the kernel keeps the first {KernelNameLength} characters of a name: '{wanted}')" : "";
            throw new CliUsageException(similar.Length > 0
                ? $"no map is named '{name}'{cut}; similar names: {Describe(similar)}."
                : $"no map is named '{name}'{cut}; list the {all.Count} maps with `bpfsharp map list`.");
        }
        catch
        {
            match?.Dispose();
            throw;
        }
    }

    static string Describe(IEnumerable<MapInfo> maps) => string.Join(", ", maps.Select(m => $"'{m.Name}' (id {m.Id}, {m.Type})"));
}
