using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Maps;

namespace BpfSharp.Objects;

/// <summary>
/// <c>.struct_ops</c> maps: the kernel struct they implement (e.g. <c>tcp_congestion_ops</c>) is found in the kernel's
/// BTF by the local struct's name; each program a member points at loads against that struct and member.
/// </summary>
sealed partial class ObjectLoader
{
    /// <summary>What a struct_ops program loads against: the kernel struct's BTF id and the member's index.</summary>
    readonly record struct StructOpsTarget(string MapName, uint StructId, int MemberIndex);

    Dictionary<string, StructOpsTarget>? structOpsTargets;

    Dictionary<string, StructOpsTarget> StructOpsTargets => structOpsTargets ??= FindStructOpsTargets();

    Dictionary<string, StructOpsTarget> FindStructOpsTargets()
    {
        var targets = new Dictionary<string, StructOpsTarget>(StringComparer.Ordinal);
        foreach (MapDefinition map in spec.Maps)
        {
            if (map.Origin != MapOrigin.StructOps) continue;
            (BtfType local, BtfType kernelStruct, _) = StructOpsTypes(map);
            foreach (MapInitialValue slot in map.InitialValues)
            {
                string member = local.Members[(int)slot.Index].Name;
                int index = IndexOfMember(kernelStruct, member);
                if (index < 0)
                    throw new BpfObjectException(ObjectName, $"struct_ops map '{map.Name}'",
                        $"sets member '{member}', which the kernel's struct {kernelStruct.Name} does not have.");
                targets[slot.Target] = new StructOpsTarget(map.Name, kernelStruct.Id, index);
            }
        }
        return targets;
    }

    /// <summary>The local struct, the kernel struct of the same (flavour-less) name, and the kernel's map value wrapper <c>bpf_struct_ops_NAME</c>.</summary>
    (BtfType Local, BtfType Kernel, BtfType Value) StructOpsTypes(MapDefinition map) =>
        StructOpsTypes(spec, map, KernelBtf($"struct_ops map '{map.Name}'"));

    static (BtfType Local, BtfType Kernel, BtfType Value) StructOpsTypes(ObjectSpec spec, MapDefinition map, BtfSpec kernel)
    {
        if (spec.Btf is null)
            throw new BpfObjectException(spec.Name, $"struct_ops map '{map.Name}'", "needs the object's BTF to know which kernel struct it implements; compile with -g.");
        BtfType local = spec.Btf.SkipModifiers(map.BtfValueTypeId);
        string name = BtfSpec.EssentialName(local.Name);
        BtfType? kernelStruct = kernel.Find(name, BtfKind.Struct);
        BtfType? value = kernel.Find("bpf_struct_ops_" + name, BtfKind.Struct);
        if (kernelStruct is null || value is null)
            throw new BpfObjectException(spec.Name, $"struct_ops map '{map.Name}'",
                $"implements struct {name}, which this kernel does not offer as struct_ops (no bpf_struct_ops_{name} in its BTF).");
        return (local, kernelStruct, value);
    }

    /// <summary>
    /// The value the kernel wants in a struct_ops map (its <c>bpf_struct_ops_NAME</c>): the local struct's data
    /// members copied by name into the kernel struct's layout under <c>data</c>, and each function pointer member
    /// set to the fd of the program it points at (<paramref name="programFd"/> gives it; the caller keeps the fds
    /// open until the value is written). Kernel members the object does not set stay zero.
    /// </summary>
    internal static byte[] StructOpsValue(ObjectSpec spec, MapDefinition map, BtfSpec kernel, Func<string, int> programFd)
    {
        (BtfType local, BtfType kernelStruct, BtfType valueType) = StructOpsTypes(spec, map, kernel);
        string where = $"struct_ops map '{map.Name}'";
        int dataMember = IndexOfMember(valueType, "data");
        if (dataMember < 0)
            throw new BpfObjectException(spec.Name, where, $"the kernel's {valueType.Name} has no 'data' member; this kernel lays struct_ops values out differently.");
        int dataOffset = (int)(valueType.Members[dataMember].BitOffset / 8);
        byte[] value = new byte[valueType.Size];
        ReadOnlySpan<byte> contents = map.Contents.Span;
        var slots = map.InitialValues.ToDictionary(v => (int)v.Index, v => v.Target);
        BtfSpec objectBtf = spec.Btf!;

        for (int i = 0; i < local.Members.Count; i++)
        {
            BtfMember member = local.Members[i];
            int localOffset = (int)(member.BitOffset / 8);
            int localSize = (int)objectBtf.SizeOf(member.TypeId);
            ReadOnlySpan<byte> localBytes = member.BitfieldSize == 0 && localOffset + localSize <= contents.Length
                ? contents.Slice(localOffset, localSize) : default;
            bool isSet = slots.ContainsKey(i) || localBytes.IndexOfAnyExcept((byte)0) >= 0;
            int k = IndexOfMember(kernelStruct, member.Name);
            if (k < 0)
            {
                if (!isSet) continue;
                throw new BpfObjectException(spec.Name, where, $"sets member '{member.Name}', which the kernel's struct {kernelStruct.Name} does not have.");
            }
            BtfMember kernelMember = kernelStruct.Members[k];
            int at = dataOffset + (int)(kernelMember.BitOffset / 8);
            if (slots.TryGetValue(i, out string? program))
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(at, 8), programFd(program));
                continue;
            }
            if (!isSet) continue;
            if (member.BitfieldSize != 0 || kernelMember.BitfieldSize != 0)
                throw new BpfObjectException(spec.Name, where, $"sets the bitfield member '{member.Name}', which struct_ops values do not support.");
            int kernelSize = (int)kernel.SizeOf(kernelMember.TypeId);
            if (kernelSize != localSize)
                throw new BpfObjectException(spec.Name, where,
                    $"member '{member.Name}' is {localSize} bytes in the object but {kernelSize} in the kernel's struct {kernelStruct.Name}; rebuild against this kernel's vmlinux.h.");
            localBytes.CopyTo(value.AsSpan(at, kernelSize));
        }
        return value;
    }

    MapSpec StructOpsMapSpec(MapDefinition map, MapSpec generic)
    {
        (_, _, BtfType value) = StructOpsTypes(map);
        return generic with
        {
            KeySize = 4,
            ValueSize = value.Size,
            MaxEntries = 1,
            // the kernel wants the object's BTF fd although the value type comes from vmlinux
            Btf = btf ?? throw new BpfObjectException(ObjectName, $"struct_ops map '{map.Name}'", "needs the object's BTF loaded in the kernel; compile with -g."),
            BtfKeyTypeId = 0,
            BtfValueTypeId = 0,
            BtfVmlinuxValueTypeId = value.Id,
        };
    }

    static int IndexOfMember(BtfType type, string name)
    {
        for (int i = 0; i < type.Members.Count; i++)
            if (type.Members[i].Name == name) return i;
        return -1;
    }
}
