using System.Numerics;
using BpfSharp.Abi;
using BpfSharp.Maps;

namespace BpfSharp.Objects;

sealed partial class ObjectLoader
{
    BpfMap CreateMap(MapDefinition definition, byte[]? kconfigData)
    {
        MapSpec mapSpec = ToMapSpec(definition);
        if (definition.Pinning == MapPinning.ByName)
        {
            string path = Path.Combine(options.PinPath, definition.Name);
            if (File.Exists(path)) return ReusePinned(definition, mapSpec, path);
            BpfMap created = CreateAndFill(definition, mapSpec, kconfigData);
            try { created.Pin(path); }
            catch { created.Dispose(); throw; }
            pinnedHere.Add(path);
            return created;
        }
        return CreateAndFill(definition, mapSpec, kconfigData);
    }

    MapSpec ToMapSpec(MapDefinition d)
    {
        uint maxEntries = options.MaxEntries.TryGetValue(d.Name, out uint overridden) ? overridden : d.MaxEntries;
        if (d.Type == BpfMapType.PerfEventArray && maxEntries == 0) maxEntries = (uint)PossibleCpus.Count;
        if (d.Type is BpfMapType.RingBuf or BpfMapType.UserRingBuf) maxEntries = RingBufferSize(maxEntries);
        MapCreateFlags flags = d.Flags;
        if (d.Origin == MapOrigin.Data)
        {
            if (d.IsReadOnly) flags |= MapCreateFlags.RdonlyProg;
            // libbpf maps a global-data section only when user space can see a variable in it (a non-static one)
            if (d.Name == ".kconfig" || d.Variables.Any(v => v.IsGlobal)) flags |= MapCreateFlags.Mmapable;
        }
        bool btfAllowed = btf != null && !DropsBtf(d.Type);
        var generic = new MapSpec
        {
            Type = d.Type,
            KeySize = d.KeySize,
            ValueSize = d.ValueSize,
            MaxEntries = maxEntries,
            Flags = flags,
            Name = ObjectMapNames.KernelName(d, ObjectName),
            NumaNode = d.NumaNode is uint node ? (int)node : null,
            MapExtra = d.MapExtra,
            Btf = btfAllowed ? btf : null,
            BtfKeyTypeId = btfAllowed ? d.BtfKeyTypeId : 0,
            BtfValueTypeId = btfAllowed ? d.BtfValueTypeId : 0,
        };
        return d.Origin == MapOrigin.StructOps ? StructOpsMapSpec(d, generic) : generic;
    }

    /// <summary>Map types the kernel refuses BTF key/value ids for (libbpf drops them the same way).</summary>
    static bool DropsBtf(BpfMapType type) => type is BpfMapType.PerfEventArray or BpfMapType.CgroupArray
        or BpfMapType.StackTrace or BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps or BpfMapType.DevMap
        or BpfMapType.DevMapHash or BpfMapType.CpuMap or BpfMapType.XskMap or BpfMapType.SockMap
        or BpfMapType.SockHash or BpfMapType.Queue or BpfMapType.Stack;

    /// <summary>Ring buffers must be a power-of-two number of pages; libbpf rounds up rather than failing.</summary>
    static uint RingBufferSize(uint requested)
    {
        uint page = (uint)Environment.SystemPageSize;
        if (requested <= page) return page;
        return (uint)Math.Min(BitOperations.RoundUpToPowerOf2((ulong)requested), 1UL << 31);
    }

    BpfMap CreateAndFill(MapDefinition definition, MapSpec mapSpec, byte[]? kconfigData)
    {
        BpfMap map = CreateWithInner(definition, mapSpec);
        try
        {
            if (definition.Origin == MapOrigin.Data)
            {
                byte[]? value = kconfigData ?? InitialData(definition);
                if (value != null)
                {
                    Span<byte> key = stackalloc byte[4];
                    key.Clear();
                    map.Update(key, value);
                }
                if (definition.IsReadOnly) map.Freeze();
            }
            else if (definition.Type == BpfMapType.Arena)
            {
                // Programs that use an arena need its user-space address fixed before they load: map it now
                // (unless map_extra already chose the address), for as long as the object lives.
                if (definition.MapExtra == 0)
                    resources.Add(MappedMemory.Map(map.Fd, (nuint)mapSpec.MaxEntries * (nuint)Environment.SystemPageSize,
                        Interop.MemoryProtection.Read | Interop.MemoryProtection.Write));
            }
            return map;
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    BpfMap CreateWithInner(MapDefinition definition, MapSpec mapSpec)
    {
        BpfMap? inner = null;
        try
        {
            if (definition.InnerMap is { } innerDefinition)
                inner = BpfMap.Create(ToMapSpec(innerDefinition with { Name = definition.Name + ".inner", Pinning = MapPinning.None }), syscalls);
            else if (definition.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)
                throw new BpfObjectException(ObjectName, $"map '{definition.Name}'",
                    "is a map of maps without an inner map definition; declare one with __array(values, struct { ... }).");
            mapSpec = mapSpec with { InnerMap = inner };
            try
            {
                return BpfMap.Create(mapSpec, syscalls);
            }
            catch (BpfSyscallException) when (mapSpec.Btf != null && !NeedsBtf(definition.Type))
            {
                // Like libbpf: a kernel that refuses the BTF description still gets the map, without it.
                return BpfMap.Create(mapSpec with { Btf = null, BtfKeyTypeId = 0, BtfValueTypeId = 0 }, syscalls);
            }
        }
        finally
        {
            inner?.Dispose(); // the kernel keeps only the inner map's shape
        }
    }

    static bool NeedsBtf(BpfMapType type) => type is BpfMapType.SkStorage or BpfMapType.InodeStorage
        or BpfMapType.TaskStorage or BpfMapType.CgrpStorage or BpfMapType.StructOps;

    byte[]? InitialData(MapDefinition definition)
    {
        bool overridden = definition.Variables.Any(v => options.Globals.ContainsKey(v.Name));
        if (definition.Contents.IsEmpty && !overridden) return null;
        byte[] value = new byte[definition.ValueSize];
        definition.Contents.Span[..Math.Min(definition.Contents.Length, value.Length)].CopyTo(value);
        foreach (DataVariable v in definition.Variables)
        {
            if (!options.Globals.TryGetValue(v.Name, out byte[]? bytes)) continue;
            if (bytes.Length != v.Size)
                throw new BpfObjectException(ObjectName, $"global '{v.Name}'",
                    $"is {v.Size} bytes in {definition.Name}, but SetGlobal gave {bytes.Length}; use a C# type of the variable's size.");
            bytes.CopyTo(value.AsSpan((int)v.Offset));
        }
        return value;
    }

    BpfMap ReusePinned(MapDefinition definition, MapSpec wanted, string path)
    {
        BpfMap pinned = BpfMap.OpenPinned(path, syscalls);
        MapInfo info = pinned.GetInfo();
        var differences = new List<string>();
        if (info.Type != wanted.Type) differences.Add($"type {info.Type} ≠ {wanted.Type}");
        if (info.KeySize != wanted.KeySize) differences.Add($"key size {info.KeySize} ≠ {wanted.KeySize}");
        if (info.ValueSize != wanted.ValueSize) differences.Add($"value size {info.ValueSize} ≠ {wanted.ValueSize}");
        if (info.MaxEntries != wanted.MaxEntries) differences.Add($"max_entries {info.MaxEntries} ≠ {wanted.MaxEntries}");
        if (info.Flags != wanted.Flags) differences.Add($"flags {info.Flags} ≠ {wanted.Flags}");
        if (info.MapExtra != wanted.MapExtra) differences.Add($"map_extra {info.MapExtra} ≠ {wanted.MapExtra}");
        if (differences.Count == 0) return pinned;
        pinned.Dispose();
        throw new BpfObjectException(ObjectName, $"map '{definition.Name}'",
            $"is pinned at {path} with a different shape ({string.Join(", ", differences)}); remove the pin (rm {path}) or change the definition to match.");
    }

    byte[]? BuildKconfigData()
    {
        MapDefinition? map = spec.FindMap(".kconfig");
        if (map is null) return null;
        byte[] data = new byte[map.ValueSize];
        foreach (ExternDefinition ext in spec.Externs)
        {
            if (ext.Kind != ExternKind.Kconfig) continue;
            if (spec.Btf is null)
                throw new BpfObjectException(ObjectName, $"extern '{ext.Name}'", "is a kconfig extern, but the object has no BTF to tell its type; compile with -g.");
            if (!Config.TryWrite(ext, spec.Btf, data, ObjectName) && !ext.IsWeak)
                throw new BpfObjectException(ObjectName, $"extern '{ext.Name}'",
                    "is not set in the kernel configuration (/proc/config.gz or /boot/config-*); declare it __weak to default to 0, or set it with ObjectLoadOptions.SetKconfig.");
        }
        return data;
    }

    void FillInitialSlots()
    {
        foreach (MapDefinition definition in spec.Maps)
        {
            if (definition.InitialValues.Count == 0 || definition.Origin == MapOrigin.StructOps) continue;
            BpfMap map = maps[definition.Name];
            byte[] key = new byte[4], value = new byte[4];
            foreach (MapInitialValue slot in definition.InitialValues)
            {
                int fd;
                if (definition.Type == BpfMapType.ProgArray)
                {
                    if (!programs.TryGetValue(slot.Target, out Programs.BpfProgram? program))
                        throw new BpfObjectException(ObjectName, $"map '{definition.Name}'",
                            $"slot {slot.Index} names program '{slot.Target}', which is not loaded (its autoload is off, or it is not in the object).");
                    fd = program.Fd.RawValue;
                }
                else
                {
                    if (!maps.TryGetValue(slot.Target, out BpfMap? inner))
                        throw new BpfObjectException(ObjectName, $"map '{definition.Name}'", $"slot {slot.Index} names map '{slot.Target}', which the object does not have.");
                    fd = inner.Fd.RawValue;
                }
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, slot.Index);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, fd);
                map.Update(key, value);
            }
        }
    }
}
