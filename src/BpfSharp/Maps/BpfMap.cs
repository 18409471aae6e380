using System.Runtime.CompilerServices;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>
/// A kernel map, untyped: keys and values are byte spans. The typed maps (<see cref="HashMap{TKey,TValue}"/> …)
/// wrap one of these. Disposing closes the fd; the kernel frees the map when no fd, pin or program holds it.
/// </summary>
public sealed unsafe partial class BpfMap : IDisposable
{
    const int ENOENT = 2;

    BpfMap(BpfFileDescriptor fd, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, MapCreateFlags flags, string name)
    {
        Fd = fd;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
        Name = name;
        UserValueSize = IsPerCpu(type) ? checked(RoundUp8(valueSize) * (uint)PossibleCpus.Count) : valueSize;
    }

    public BpfFileDescriptor Fd { get; }
    public BpfMapType Type { get; }
    public uint KeySize { get; }
    /// <summary>The value size the map was created with (for per-CPU maps: of one CPU's value).</summary>
    public uint ValueSize { get; }
    /// <summary>The size of a value buffer in user space: <see cref="ValueSize"/>, or for per-CPU maps one 8-byte-aligned slot per possible CPU.</summary>
    public uint UserValueSize { get; }
    public uint MaxEntries { get; }
    public MapCreateFlags Flags { get; }
    public string Name { get; }
    /// <summary>The path this map was pinned at by <see cref="Pin"/>, if any.</summary>
    public string? PinnedPath { get; private set; }

    ISyscalls Syscalls => Fd.Syscalls;

    /// <summary>Creates a map (BPF_MAP_CREATE). Throws <see cref="BpfSyscallException"/> saying which attribute the kernel refused.</summary>
    public static BpfMap Create(MapSpec spec, ISyscalls? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        syscalls ??= LinuxSyscalls.Instance;
        var attr = new MapCreateAttr
        {
            MapType = (uint)spec.Type,
            KeySize = spec.KeySize,
            ValueSize = spec.ValueSize,
            MaxEntries = spec.MaxEntries,
            MapFlags = (uint)spec.Flags,
            MapIfindex = spec.IfIndex,
            BtfKeyTypeId = spec.BtfKeyTypeId,
            BtfValueTypeId = spec.BtfValueTypeId,
            BtfVmlinuxValueTypeId = spec.BtfVmlinuxValueTypeId,
            MapExtra = spec.MapExtra,
        };
        if (spec.NumaNode is int node)
        {
            attr.NumaNode = (uint)node;
            attr.MapFlags |= (uint)MapCreateFlags.NumaNode;
        }
        BpfSyscall.WriteObjectName(attr.MapName, spec.Name);

        bool innerAdded = false, btfAdded = false;
        try
        {
            if (spec.InnerMap is { } inner)
            {
                inner.Fd.DangerousAddRef(ref innerAdded);
                attr.InnerMapFd = (uint)inner.Fd.RawValue;
            }
            if (spec.Btf is { } btf)
            {
                btf.Fd.DangerousAddRef(ref btfAdded);
                attr.BtfFd = (uint)btf.Fd.RawValue;
            }
            int r = BpfSyscall.Invoke(syscalls, BpfCommand.MapCreate, ref attr);
            if (r < 0)
                throw new BpfSyscallException(BpfCommand.MapCreate, -r, $"creating map {spec}",
                    r == -(int)Errno.EINVAL ? MapSpecDiagnosis.Explain(spec) : null);
            var fd = new BpfFileDescriptor(r, syscalls);
            return new BpfMap(fd, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, (MapCreateFlags)attr.MapFlags, spec.Name ?? "");
        }
        finally
        {
            if (innerAdded) spec.InnerMap!.Fd.DangerousRelease();
            if (btfAdded) spec.Btf!.Fd.DangerousRelease();
        }
    }

    /// <summary>Wraps an fd of an existing map (taking ownership), reading its shape from the kernel.</summary>
    public static BpfMap FromFd(BpfFileDescriptor fd)
    {
        var raw = new BpfMapInfo();
        try
        {
            BpfSyscall.GetInfo(fd, ref raw);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
        MapInfo info = MapInfo.From(raw);
        return new BpfMap(fd, info.Type, info.KeySize, info.ValueSize, info.MaxEntries, info.Flags, info.Name);
    }

    /// <summary>Opens a map pinned in bpffs (BPF_OBJ_GET).</summary>
    public static BpfMap OpenPinned(string path, ISyscalls? syscalls = null)
    {
        BpfMap map = FromFd(BpfSyscall.OpenPinned(syscalls ?? LinuxSyscalls.Instance, path));
        map.PinnedPath = path;
        return map;
    }

    /// <summary>Opens a map by its kernel id (BPF_MAP_GET_FD_BY_ID).</summary>
    public static BpfMap FromId(uint id, ISyscalls? syscalls = null) =>
        FromFd(BpfSyscall.OpenById(syscalls ?? LinuxSyscalls.Instance, BpfCommand.MapGetFdById, id));

    /// <summary>The ids of every map in the kernel (BPF_MAP_GET_NEXT_ID).</summary>
    public static IReadOnlyList<uint> EnumerateIds(ISyscalls? syscalls = null) =>
        BpfSyscall.EnumerateIds(syscalls ?? LinuxSyscalls.Instance, BpfCommand.MapGetNextId);

    /// <summary>What the kernel reports about this map now.</summary>
    public MapInfo GetInfo()
    {
        var raw = new BpfMapInfo();
        BpfSyscall.GetInfo(Fd, ref raw);
        return MapInfo.From(raw);
    }

    /// <summary>Pins the map at a bpffs path so it outlives this process.</summary>
    public void Pin(string path)
    {
        BpfSyscall.Pin(Fd, path);
        PinnedPath = path;
    }

    /// <summary>Removes the pin made by <see cref="Pin"/> or opened by <see cref="OpenPinned"/> (the map lives on while other holders remain).</summary>
    public void Unpin()
    {
        if (PinnedPath is null) throw new InvalidOperationException($"map '{Name}' is not pinned by this handle.");
        File.Delete(PinnedPath);
        PinnedPath = null;
    }

    /// <summary>Makes the map read-only for user space from now on (BPF_MAP_FREEZE); programs can still write unless the map was created BPF_F_RDONLY_PROG.</summary>
    public void Freeze()
    {
        using FdLease lease = Fd.Lease();
        var attr = new MapElemAttr { MapFd = lease.UFd };
        BpfSyscall.InvokeChecked(Syscalls, BpfCommand.MapFreeze, ref attr, $"freezing map '{Name}'");
    }

    public void Dispose() => Fd.Dispose();

    public override string ToString() => $"map '{Name}' {Type} (key {KeySize} B, value {ValueSize} B, max_entries {MaxEntries})";

    internal static bool IsPerCpu(BpfMapType type) =>
        type is BpfMapType.PerCpuHash or BpfMapType.PerCpuArray or BpfMapType.LruPerCpuHash or BpfMapType.PerCpuCgroupStorage;

    internal static uint RoundUp8(uint size) => (size + 7) & ~7u;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int ElementCommand(BpfCommand command, void* key, void* value, ulong flags)
    {
        using FdLease lease = Fd.Lease();
        var attr = new MapElemAttr { MapFd = lease.UFd, Key = (ulong)key, Value = (ulong)value, Flags = flags };
        return BpfSyscall.Invoke(Syscalls, command, ref attr);
    }

    // ---- Element operations on raw memory: the typed maps call these; they return 0 or -errno. ----

    internal int LookupRaw(void* key, void* value, ulong flags = 0) => ElementCommand(BpfCommand.MapLookupElem, key, value, flags);

    internal int UpdateRaw(void* key, void* value, ulong flags) => ElementCommand(BpfCommand.MapUpdateElem, key, value, flags);

    internal int DeleteRaw(void* key) => ElementCommand(BpfCommand.MapDeleteElem, key, null, 0);

    internal int LookupAndDeleteRaw(void* key, void* value, ulong flags = 0) => ElementCommand(BpfCommand.MapLookupAndDeleteElem, key, value, flags);

    internal int GetNextKeyRaw(void* key, void* nextKey)
    {
        using FdLease lease = Fd.Lease();
        var attr = new MapElemAttr { MapFd = lease.UFd, Key = (ulong)key, NextKey = (ulong)nextKey };
        return BpfSyscall.Invoke(Syscalls, BpfCommand.MapGetNextKey, ref attr);
    }

    internal Exception Error(BpfCommand command, int result) =>
        new BpfSyscallException(command, -result, $"map '{Name}' {Type}");

    // ---- Element operations on spans. ----

    /// <summary>Looks a key up; false when absent. <paramref name="value"/> must hold <see cref="UserValueSize"/> bytes.</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
            return Found(BpfCommand.MapLookupElem, LookupRaw(KeyPointer(k), v, (ulong)flags));
    }

    /// <summary>Creates or replaces an element (flags: Any, NoExist, Exist, Lock).</summary>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            int r = UpdateRaw(KeyPointer(k), v, (ulong)flags);
            if (r < 0) throw Error(BpfCommand.MapUpdateElem, r);
        }
    }

    /// <summary>Deletes an element; false when it was absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        fixed (byte* k = key)
            return Found(BpfCommand.MapDeleteElem, DeleteRaw(KeyPointer(k)));
    }

    /// <summary>Looks up and deletes in one step (for queue/stack: pop, with an empty key); false when absent.</summary>
    public bool TryLookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
            return Found(BpfCommand.MapLookupAndDeleteElem, LookupAndDeleteRaw(KeyPointer(k), v));
    }

    /// <summary>The key after <paramref name="key"/> (an empty span asks for the first key); false at the end.</summary>
    public bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if (nextKey.Length < KeySize) throw new ArgumentException($"the next-key buffer has {nextKey.Length} bytes; map '{Name}' has {KeySize}-byte keys.", nameof(nextKey));
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
            return Found(BpfCommand.MapGetNextKey, GetNextKeyRaw(key.IsEmpty ? null : k, n));
    }

    /// <summary>True for success, false for ENOENT (absent), an exception for anything else.</summary>
    internal bool Found(BpfCommand command, int result) =>
        result >= 0 || (result == -ENOENT ? false : throw Error(command, result));

    void* KeyPointer(byte* key) => KeySize == 0 ? null : key;

    void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"the key has {key.Length} bytes; map '{Name}' ({Type}) has {KeySize}-byte keys.", nameof(key));
    }

    void CheckValue(int length)
    {
        if (length != UserValueSize)
            throw new ArgumentException(IsPerCpu(Type)
                ? $"the value buffer has {length} bytes; per-CPU map '{Name}' needs {UserValueSize} ({PossibleCpus.Count} possible CPUs × {RoundUp8(ValueSize)} bytes, each value padded to 8)."
                : $"the value has {length} bytes; map '{Name}' ({Type}) has {ValueSize}-byte values.", "value");
    }
}
