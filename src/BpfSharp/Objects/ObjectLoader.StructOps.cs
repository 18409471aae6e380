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
    (BtfType Local, BtfType Kernel, BtfType Value) StructOpsTypes(MapDefinition map)
    {
        if (spec.Btf is null)
            throw new BpfObjectException(ObjectName, $"struct_ops map '{map.Name}'", "needs the object's BTF to know which kernel struct it implements; compile with -g.");
        BtfType local = spec.Btf.SkipModifiers(map.BtfValueTypeId);
        string name = BtfSpec.EssentialName(local.Name);
        BtfSpec kernel = KernelBtf($"struct_ops map '{map.Name}'");
        BtfType? kernelStruct = kernel.Find(name, BtfKind.Struct);
        BtfType? value = kernel.Find("bpf_struct_ops_" + name, BtfKind.Struct);
        if (kernelStruct is null || value is null)
            throw new BpfObjectException(ObjectName, $"struct_ops map '{map.Name}'",
                $"implements struct {name}, which this kernel does not offer as struct_ops (no bpf_struct_ops_{name} in its BTF).");
        return (local, kernelStruct, value);
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
