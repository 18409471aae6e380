namespace BpfSharp.Kernel;

/// <summary>Declares a static field of a map type (<see cref="HashMap{TKey, TValue}"/>, …) as a BTF-defined map of the module.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class MapAttribute : Attribute
{
    /// <summary>The map's capacity (for ring buffers: the size in bytes, a power of two multiple of the page size).</summary>
    public uint MaxEntries { get; set; }

    /// <summary><c>map_flags</c> (e.g. <c>BPF_F_NO_PREALLOC</c> = 1).</summary>
    public uint Flags { get; set; }

    /// <summary><c>map_extra</c> (bloom filter hash count, arena address).</summary>
    public ulong MapExtra { get; set; }

    /// <summary>The NUMA node (with the NUMA flag).</summary>
    public uint NumaNode { get; set; }

    /// <summary>Pin by name under the loader's pin path (libbpf's <c>LIBBPF_PIN_BY_NAME</c>).</summary>
    public bool PinByName { get; set; }

    /// <summary>The map's name in the object, when not the field's name.</summary>
    public string? Name { get; set; }
}
