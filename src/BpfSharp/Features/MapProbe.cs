using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Features;

/// <summary>
/// Probes one map type by creating the smallest map of it whose attributes are valid for that type, so that the
/// kernel's EINVAL can only mean "no such map type".
/// </summary>
static class MapProbe
{
    /// <summary>The kernel-internal ENOTSUPP (not in the UAPI errno list).</summary>
    internal const int ENOTSUPP = 524;

    public static bool IsSupported(BpfMapType type, ISyscalls syscalls)
    {
        var owned = new List<IDisposable>();
        try
        {
            MapSpec spec;
            try
            {
                spec = SpecFor(type, syscalls, owned);
            }
            catch (BpfSyscallException e) when (e.Command == BpfCommand.BtfLoad && e.Errno == Errno.EINVAL)
            {
                // A kernel that cannot load BTF cannot create a map type that requires BTF.
                return false;
            }
            try
            {
                using BpfMap map = BpfMap.Create(spec, syscalls);
                return true;
            }
            catch (BpfSyscallException e) when (e.Command == BpfCommand.MapCreate)
            {
                if (Interpret(type, e) is bool verdict) return verdict;
                throw;
            }
        }
        finally
        {
            foreach (IDisposable d in owned) d.Dispose();
        }
    }

    /// <summary>
    /// What a refused BPF_MAP_CREATE says. EINVAL: the kernel has no such map type (its attributes are valid for
    /// the type). E2BIG: the kernel's bpf_attr is shorter than ours and a field it does not know is set — an older
    /// kernel, which also lacks the type. EOPNOTSUPP/ENOTSUPP: the type exists but is compiled out or unusable here.
    /// Everything else (EPERM, EACCES, ENOMEM, EBADF …) says nothing about the type: null, so the caller rethrows
    /// and nothing is cached.
    /// </summary>
    static bool? Interpret(BpfMapType type, BpfSyscallException e)
    {
        int errno = (int)e.Errno;
        // Without a vmlinux value type the struct_ops probe uses a placeholder id: a kernel that knows struct_ops
        // maps passes the attribute checks and then fails to find the value type, with ENOTSUPP.
        if (type == BpfMapType.StructOps && errno == ENOTSUPP && ProbeBtf.StructOpsValueType() is null) return true;
        if (errno is (int)Errno.EINVAL or (int)Errno.E2BIG or (int)Errno.EOPNOTSUPP or ENOTSUPP) return false;
        return null;
    }

    /// <summary>The smallest valid creation attributes for each type (facts from the kernel's map_alloc_check functions).</summary>
    internal static MapSpec SpecFor(BpfMapType type, ISyscalls syscalls, List<IDisposable> owned)
    {
        const string name = "probe";
        switch (type)
        {
            case BpfMapType.LpmTrie:
                // Key: a 4-byte prefix length plus at least one data byte; the trie must not be preallocated.
                return new MapSpec { Type = type, KeySize = 8, ValueSize = 4, MaxEntries = 1, Flags = MapCreateFlags.NoPrealloc, Name = name };

            case BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps:
            {
                var inner = BpfMap.Create(new MapSpec { Type = BpfMapType.Array, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = "probe_inner" }, syscalls);
                owned.Add(inner);
                return new MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 1, InnerMap = inner, Name = name };
            }

            case BpfMapType.CgroupStorage or BpfMapType.PerCpuCgroupStorage:
                // Key: the cgroup inode id (u64); max_entries must be 0 (one element per attachment).
                return new MapSpec { Type = type, KeySize = 8, ValueSize = 8, MaxEntries = 0, Name = name };

            case BpfMapType.Queue or BpfMapType.Stack or BpfMapType.BloomFilter:
                return new MapSpec { Type = type, KeySize = 0, ValueSize = 4, MaxEntries = 1, Name = name };

            case BpfMapType.StackTrace:
                // The value is an array of u64 instruction pointers.
                return new MapSpec { Type = type, KeySize = 4, ValueSize = 8, MaxEntries = 1, Name = name };

            case BpfMapType.SkStorage or BpfMapType.InodeStorage or BpfMapType.TaskStorage or BpfMapType.CgrpStorage:
            {
                // Local storage: int key, max_entries 0, not preallocated, and BTF for key and value.
                var btf = BtfHandle.Load(ProbeBtf.IntKeyStructValue, syscalls);
                owned.Add(btf);
                return new MapSpec
                {
                    Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 0, Flags = MapCreateFlags.NoPrealloc, Name = name,
                    Btf = btf, BtfKeyTypeId = ProbeBtf.IntTypeId, BtfValueTypeId = ProbeBtf.ValueTypeId,
                };
            }

            case BpfMapType.StructOps:
            {
                // Key u32, one entry, the value is a vmlinux struct bpf_struct_ops_NAME of exactly its size; the
                // kernel also wants a (non-kernel) BTF fd alongside.
                var btf = BtfHandle.Load(ProbeBtf.IntKeyStructValue, syscalls);
                owned.Add(btf);
                (uint id, uint size) = ProbeBtf.StructOpsValueType() ?? (1, 4);
                return new MapSpec { Type = type, KeySize = 4, ValueSize = size, MaxEntries = 1, Btf = btf, BtfVmlinuxValueTypeId = id, Name = name };
            }

            case BpfMapType.RingBuf or BpfMapType.UserRingBuf:
                // No key or value; the size is a power of two and a multiple of the page size.
                return new MapSpec { Type = type, KeySize = 0, ValueSize = 0, MaxEntries = (uint)Environment.SystemPageSize, Name = name };

            case BpfMapType.Arena:
                // No key or value; max_entries counts pages; must be mmapable.
                return new MapSpec { Type = type, KeySize = 0, ValueSize = 0, MaxEntries = 1, Flags = MapCreateFlags.Mmapable, Name = name };

            default:
                // Hash, array, per-CPU and LRU variants, prog/perf/cgroup arrays, dev/cpu/xsk/sock maps,
                // reuseport arrays — and unknown types: u32 key, u32 value, one entry is valid for all of them.
                return new MapSpec { Type = type, KeySize = 4, ValueSize = 4, MaxEntries = 1, Name = name };
        }
    }
}
