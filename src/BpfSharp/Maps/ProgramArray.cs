using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Maps;

/// <summary>
/// A BPF_MAP_TYPE_PROG_ARRAY map: the jump table of <c>bpf_tail_call</c>. User space stores a program by its fd
/// (<see cref="Set"/>); a lookup from user space gives back the program's kernel id, not an fd. The kernel requires
/// every program in one array to have the same program type (the type of the first program that used the array).
/// </summary>
public sealed unsafe class ProgramArray : IDisposable, ITypedMapView<ProgramArray>
{
    /// <summary>Wraps an existing program array (taking ownership of the map).</summary>
    public ProgramArray(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        MapTypeCheck.MapType(map, nameof(ProgramArray), BpfMapType.ProgArray);
        if (map.KeySize != sizeof(uint) || map.ValueSize != sizeof(uint))
            throw new ArgumentException($"{nameof(ProgramArray)} cannot wrap {map}: a program array has 4-byte keys and 4-byte values.", nameof(map));
        Map = map;
    }

    /// <summary>Wraps an existing map (as <c>BpfObject</c> hands them out), checked like the constructor.</summary>
    public static ProgramArray Wrap(BpfMap map) => new(map);

    /// <summary>The untyped map underneath (fd, pinning, info).</summary>
    public BpfMap Map { get; }

    public uint MaxEntries => Map.MaxEntries;

    /// <summary>Creates a program array of <paramref name="maxEntries"/> slots, all empty.</summary>
    public static ProgramArray Create(uint maxEntries, string? name = null, ISyscalls? syscalls = null) =>
        new(BpfMap.Create(new MapSpec { Type = BpfMapType.ProgArray, KeySize = sizeof(uint), ValueSize = sizeof(uint), MaxEntries = maxEntries, Name = name }, syscalls));

    /// <summary>Puts <paramref name="program"/> in slot <paramref name="index"/> (replacing what was there).</summary>
    public void Set(uint index, BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using FdLease lease = program.Fd.Lease();
        uint fd = lease.UFd;
        int r = Map.UpdateRaw(&index, &fd, (ulong)MapUpdateFlags.Any);
        if (r < 0) throw Map.Error(BpfCommand.MapUpdateElem, r);
    }

    /// <summary>Empties slot <paramref name="index"/>; false when it was already empty.</summary>
    public bool Remove(uint index)
    {
        int r = Map.DeleteRaw(&index);
        return Map.Found(BpfCommand.MapDeleteElem, r);
    }

    /// <summary>The kernel id of the program in slot <paramref name="index"/>; false when the slot is empty.</summary>
    public bool TryGetProgramId(uint index, out uint id)
    {
        uint value = 0;
        int r = Map.LookupRaw(&index, &value);
        id = value;
        return Map.Found(BpfCommand.MapLookupElem, r);
    }

    public void Pin(string path) => Map.Pin(path);

    public void Dispose() => Map.Dispose();

    public override string ToString() => Map.ToString();
}
