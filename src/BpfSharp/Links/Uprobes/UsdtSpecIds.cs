using BpfSharp.Maps;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// Hands out slots of a spec map to USDT attachments and takes them back when they detach, so several attachments
/// of one object (several probes, several processes) share the map without overwriting each other's specs. Slots are
/// tracked per kernel map (by map id), whichever <see cref="BpfMap"/> handle is used to reach it.
/// </summary>
static class UsdtSpecIds
{
    static readonly Dictionary<uint, SortedSet<int>> inUse = [];

    /// <summary>Reserves <paramref name="count"/> free slots of <paramref name="map"/>, lowest first.</summary>
    /// <exception cref="UprobeTargetException">The map has too few free slots.</exception>
    public static int[] Allocate(BpfMap map, uint mapId, int count)
    {
        lock (inUse)
        {
            if (!inUse.TryGetValue(mapId, out SortedSet<int>? used)) inUse[mapId] = used = [];
            var ids = new int[count];
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                while (used.Contains(next)) next++;
                if (next >= map.MaxEntries)
                {
                    foreach (int id in ids.AsSpan(0, i)) used.Remove(id);
                    throw new UprobeTargetException(
                        $"{map} has no room for {count} more USDT specs ({used.Count} of {map.MaxEntries} in use): " +
                        "define BPF_USDT_MAX_SPEC_CNT larger before including <bpf/usdt.bpf.h>, or detach other USDT links first.");
                }
                ids[i] = next;
                used.Add(next++);
            }
            return ids;
        }
    }

    /// <summary>Returns slots taken by <see cref="Allocate"/>.</summary>
    public static void Release(uint mapId, IEnumerable<int> ids)
    {
        lock (inUse)
        {
            if (!inUse.TryGetValue(mapId, out SortedSet<int>? used)) return;
            foreach (int id in ids) used.Remove(id);
            if (used.Count == 0) inUse.Remove(mapId);
        }
    }
}
