using BpfSharp.Abi;

namespace BpfSharp.Maps;

/// <summary>What the kernel reports about a map (BPF_OBJ_GET_INFO_BY_FD).</summary>
public sealed record MapInfo(
    uint Id,
    BpfMapType Type,
    string Name,
    uint KeySize,
    uint ValueSize,
    uint MaxEntries,
    MapCreateFlags Flags,
    uint BtfId,
    uint BtfKeyTypeId,
    uint BtfValueTypeId,
    uint BtfVmlinuxValueTypeId,
    ulong MapExtra,
    uint IfIndex)
{
    internal static MapInfo From(in BpfMapInfo raw)
    {
        unsafe
        {
            fixed (byte* name = raw.Name)
                return new MapInfo(raw.Id, (BpfMapType)raw.Type, Interop.BpfSyscall.ReadObjectName(name), raw.KeySize, raw.ValueSize,
                    raw.MaxEntries, (MapCreateFlags)raw.MapFlags, raw.BtfId, raw.BtfKeyTypeId, raw.BtfValueTypeId,
                    raw.BtfVmlinuxValueTypeId, raw.MapExtra, raw.Ifindex);
        }
    }
}
