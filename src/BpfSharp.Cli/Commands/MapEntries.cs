using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Cli.Commands;

/// <summary>One element of a map as read from user space: the key and the value (every CPU's slot for per-CPU maps), or why the value could not be read.</summary>
sealed record MapEntry(byte[] Key, byte[]? Value, string? Error);

/// <summary>Reads every element of a map: keys with BPF_MAP_GET_NEXT_KEY, each value with a lookup.</summary>
static class MapEntries
{
    /// <summary>Map types whose elements cannot be listed from user space (no keys, or reading consumes them).</summary>
    public static string? WhyNotListable(BpfMapType type) => type switch
    {
        BpfMapType.RingBuf or BpfMapType.UserRingBuf => "a ring buffer has no elements to list; its records are read as a stream",
        BpfMapType.PerfEventArray => "a perf event array holds perf event fds per CPU; its records are read as a stream",
        BpfMapType.Queue or BpfMapType.Stack => "reading a queue or stack from user space removes the element (pop), so it is not listed",
        BpfMapType.BloomFilter => "a bloom filter cannot list its elements, only test membership",
        BpfMapType.Arena => "an arena is memory pages, not elements",
        _ => null,
    };

    public static List<MapEntry> Read(BpfMap map)
    {
        var entries = new List<MapEntry>();
        if (WhyNotListable(map.Type) != null) return entries;
        byte[] key = new byte[map.KeySize];
        byte[] next = new byte[map.KeySize];
        bool first = true;
        // A hash map changing underneath restarts the walk from its first key: never read more than can exist.
        for (uint i = 0; i < Math.Max(map.MaxEntries, 1); i++)
        {
            if (!map.TryGetNextKey(first ? ReadOnlySpan<byte>.Empty : key, next)) break;
            first = false;
            (key, next) = (next, key);
            byte[] value = new byte[map.UserValueSize];
            try
            {
                entries.Add(map.TryLookup(key, value) ? new MapEntry([.. key], value, null) : new MapEntry([.. key], null, "deleted while listing"));
            }
            catch (BpfSyscallException e)
            {
                entries.Add(new MapEntry([.. key], null, $"{e.ErrnoName}: the value cannot be read from user space"));
            }
        }
        return entries;
    }
}
