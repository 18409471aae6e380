using System.Numerics;
using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>
/// Explains an EINVAL from BPF_MAP_CREATE by naming the attribute that breaks the map type's known constraints.
/// Consulted only after the kernel refused, so it never rejects a map the kernel would accept.
/// </summary>
static class MapSpecDiagnosis
{
    public static string? Explain(MapSpec spec)
    {
        var problems = new List<string>();
        BpfMapType t = spec.Type;
        bool mmapable = (spec.Flags & MapCreateFlags.Mmapable) != 0;

        if (spec.MaxEntries == 0 && t is not (BpfMapType.CgroupStorage or BpfMapType.PerCpuCgroupStorage
                or BpfMapType.SkStorage or BpfMapType.TaskStorage or BpfMapType.InodeStorage or BpfMapType.CgrpStorage))
            problems.Add("max_entries is 0; this map type needs at least 1.");

        if (t is BpfMapType.Array or BpfMapType.PerCpuArray or BpfMapType.ProgArray or BpfMapType.PerfEventArray
                or BpfMapType.CgroupArray or BpfMapType.ArrayOfMaps or BpfMapType.DevMap or BpfMapType.CpuMap
                or BpfMapType.XskMap or BpfMapType.ReuseportSockarray)
            if (spec.KeySize != 4) problems.Add($"key_size is {spec.KeySize}; {t} maps are indexed by a 4-byte u32 key.");

        if (t is BpfMapType.ProgArray or BpfMapType.PerfEventArray or BpfMapType.CgroupArray or BpfMapType.ArrayOfMaps
                or BpfMapType.HashOfMaps)
            if (spec.ValueSize != 4) problems.Add($"value_size is {spec.ValueSize}; {t} values are 4-byte fds.");

        if (t is BpfMapType.Queue or BpfMapType.Stack or BpfMapType.BloomFilter or BpfMapType.RingBuf or BpfMapType.UserRingBuf)
            if (spec.KeySize != 0) problems.Add($"key_size is {spec.KeySize}; {t} maps have no key (key_size 0).");

        if (t is BpfMapType.RingBuf or BpfMapType.UserRingBuf)
        {
            if (spec.ValueSize != 0) problems.Add($"value_size is {spec.ValueSize}; ring buffers take value_size 0 (records are sized when reserved).");
            uint page = (uint)Environment.SystemPageSize;
            if (!BitOperations.IsPow2(spec.MaxEntries) || spec.MaxEntries % page != 0)
                problems.Add($"max_entries {spec.MaxEntries} is the ring's size in bytes and must be a power of two and a multiple of the page size ({page}).");
        }

        if (t == BpfMapType.LpmTrie)
        {
            if ((spec.Flags & MapCreateFlags.NoPrealloc) == 0) problems.Add("LPM tries require map_flags BPF_F_NO_PREALLOC.");
            if (spec.KeySize < 5 || spec.KeySize > 4 + 256)
                problems.Add($"key_size is {spec.KeySize}; an LPM trie key is a 4-byte prefix length followed by 1–256 bytes of data.");
        }

        if (t is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps && spec.InnerMap is null)
            problems.Add("map-in-map types need an inner map (MapSpec.InnerMap) as the template of their values.");

        if (t is BpfMapType.SkStorage or BpfMapType.TaskStorage or BpfMapType.InodeStorage or BpfMapType.CgrpStorage)
        {
            if (spec.Btf is null || spec.BtfValueTypeId == 0) problems.Add($"{t} maps need BTF for their value (MapSpec.Btf and BtfValueTypeId).");
            if ((spec.Flags & MapCreateFlags.NoPrealloc) == 0) problems.Add($"{t} maps require map_flags BPF_F_NO_PREALLOC.");
            if (spec.KeySize != 4) problems.Add($"key_size is {spec.KeySize}; {t} keys are 4-byte fds.");
        }

        if (t == BpfMapType.StructOps && spec.BtfVmlinuxValueTypeId == 0)
            problems.Add("struct_ops maps need BtfVmlinuxValueTypeId (the kernel BTF id of bpf_struct_ops_<name>) and a BTF fd.");

        if (mmapable && t is not (BpfMapType.Array or BpfMapType.Arena))
            problems.Add($"BPF_F_MMAPABLE is only valid for arrays and arenas, not {t}.");
        if (t == BpfMapType.Arena && !mmapable)
            problems.Add("arena maps require map_flags BPF_F_MMAPABLE.");

        if (t is BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash or BpfMapType.Array
                or BpfMapType.PerCpuArray)
            if (spec.KeySize == 0 || spec.ValueSize == 0) problems.Add($"{t} maps need non-zero key_size and value_size (got {spec.KeySize} and {spec.ValueSize}).");

        return problems.Count == 0 ? null : "Likely cause: " + string.Join(" ", problems);
    }
}
