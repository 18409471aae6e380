using BpfSharp.Interop;

namespace BpfSharp.Links;

public sealed partial class BpfLink
{
    /// <summary>Wraps a link fd made by an attach path that builds its own BPF_LINK_CREATE (XDP, tcx) to word its own errors.</summary>
    internal static BpfLink FromCreatedFd(BpfFileDescriptor fd, string description) => new(fd, description);
}
