using System.Runtime.CompilerServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>
/// A BPF_MAP_TYPE_ARRAY map: <see cref="KeyValueMap{TKey,TValue}.MaxEntries"/> values indexed from 0, all present
/// from creation (delete is not possible). Created with <see cref="MapCreateFlags.Mmapable"/>, its values can be read
/// and written as a <see cref="Span{T}"/> of shared memory, with no system call.
/// </summary>
public sealed unsafe class ArrayMap<TValue> : KeyValueMap<uint, TValue>, ITypedMapView<ArrayMap<TValue>> where TValue : unmanaged
{
    MappedMemory? mapping;

    public ArrayMap(BpfMap map) : base(map, BpfMapType.Array) { }


    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>

    public static ArrayMap<TValue> Wrap(BpfMap map) => new(map);

    public static ArrayMap<TValue> Create(uint maxEntries, string? name = null, MapCreateFlags flags = MapCreateFlags.None, ISyscalls? syscalls = null) =>
        new(Maps.Create.Checked<uint, TValue>(SpecFor(BpfMapType.Array, maxEntries, name, flags), syscalls));

    /// <summary>True when the map was created BPF_F_MMAPABLE, so <see cref="AsSpan"/> works.</summary>
    public bool IsMemoryMappable => (Map.Flags & MapCreateFlags.Mmapable) != 0;

    /// <summary>
    /// The values as shared memory: reads and writes go straight to the kernel's array, with no system call. The span
    /// is valid until this map is disposed. A frozen or BPF_F_RDONLY map is mapped read-only: writing then faults.
    /// Needs a value size that is a multiple of 8 (the kernel pads elements to 8 bytes); else use <see cref="ElementAt"/>.
    /// </summary>
    public Span<TValue> AsSpan()
    {
        if (sizeof(TValue) % 8 != 0)
            throw new InvalidOperationException(
                $"{typeof(TValue)} is {sizeof(TValue)} bytes; the kernel stores array elements 8-byte aligned, so the mapped memory is not a Span<{typeof(TValue).Name}>. " +
                "Fix: pad the value type to a multiple of 8 bytes, or use ElementAt(index).");
        return new Span<TValue>(Mapping().Address, (int)MaxEntries);
    }

    /// <summary>A reference to element <paramref name="index"/> in the mapped memory (any value size).</summary>
    public ref TValue ElementAt(uint index)
    {
        if (index >= MaxEntries) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is outside array '{Map.Name}' of {MaxEntries} elements.");
        return ref Unsafe.AsRef<TValue>((byte*)Mapping().Address + (nuint)index * BpfMap.RoundUp8((uint)sizeof(TValue)));
    }

    MappedMemory Mapping()
    {
        if (mapping is { } m) return m;
        if (!IsMemoryMappable)
            throw new InvalidOperationException($"array '{Map.Name}' was not created with MapCreateFlags.Mmapable (BPF_F_MMAPABLE); create it with that flag to map it.");
        nuint length = (nuint)MaxEntries * BpfMap.RoundUp8((uint)sizeof(TValue));
        bool readOnly = (Map.Flags & MapCreateFlags.Rdonly) != 0 || IsFrozen();
        return mapping = MappedMemory.Map(Map.Fd, length, readOnly ? MemoryProtection.Read : MemoryProtection.Read | MemoryProtection.Write);
    }

    bool IsFrozen()
    {
        // A frozen map refuses writable mappings; try one and fall back to read-only.
        MemoryProtection rw = MemoryProtection.Read | MemoryProtection.Write;
        try
        {
            using MappedMemory probe = MappedMemory.Map(Map.Fd, (nuint)Environment.SystemPageSize, rw);
            return false;
        }
        catch (BpfSyscallException) { return true; }
    }

    protected override void DisposeCore() => mapping?.Dispose();
}
