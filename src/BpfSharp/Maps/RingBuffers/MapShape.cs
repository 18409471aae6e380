using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps.RingBuffers;

/// <summary>A map's type, size and name as the kernel reports them, for the constructors that take a bare fd.</summary>
readonly record struct MapShape(BpfMapType Type, uint MaxEntries, string Name)
{
    public static MapShape Of(BpfFileDescriptor mapFd)
    {
        ArgumentNullException.ThrowIfNull(mapFd);
        var raw = new BpfMapInfo();
        BpfSyscall.GetInfo(mapFd, ref raw);
        MapInfo info = MapInfo.From(raw);
        return new MapShape(info.Type, info.MaxEntries, info.Name);
    }
}
