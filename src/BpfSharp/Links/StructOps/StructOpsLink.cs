using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Links.StructOps;

/// <summary>
/// Registers struct_ops maps (a kernel interface — e.g. <c>tcp_congestion_ops</c> — implemented by BPF programs) by
/// link: BPF_LINK_CREATE with the map's fd and attach type BPF_STRUCT_OPS (Linux 6.4+). The map must have been created
/// with BPF_F_LINK (a <c>SEC(".struct_ops.link")</c> variable) and its value written (see
/// <c>BpfObject.PrepareStructOps</c>); the link unregisters the implementation when closed or detached, and can move
/// to another map of the same struct in one step (<see cref="Update"/>). Maps in plain <c>SEC(".struct_ops")</c> are
/// registered by writing their value instead: <see cref="StructOpsRegistration"/>.
/// </summary>
public static class StructOpsLink
{
    /// <summary>Registers the prepared struct_ops map <paramref name="map"/> and returns the link that keeps it registered.</summary>
    /// <exception cref="ArgumentException">The map is not a struct_ops map created for links.</exception>
    public static BpfLink FromMap(BpfMap map)
    {
        CheckLinkMap(map);
        using FdLease m = map.Fd.Lease();
        var attr = new LinkCreateAttr { MapFd = m.UFd, AttachType = (uint)BpfAttachType.StructOps };
        return LinkCreation.Create(map.Fd.Syscalls, ref attr, $"struct_ops {map}", errno => errno switch
        {
            Errno.EINVAL => "the map's value must be written first (BpfObject.PrepareStructOps) and not yet registered, and the map created with BPF_F_LINK.",
            Errno.EEXIST => "an implementation of that name is already registered (a congestion control's name must be unique): pick another name or unregister the other.",
            Errno.EBUSY => "the map is already registered (by another link).",
            Errno.EOPNOTSUPP => "this struct_ops type cannot be registered (bpf_dummy_ops, for one, exists only to test-run struct_ops programs).",
            _ => null,
        });
    }

    /// <summary>
    /// Moves the link to <paramref name="newMap"/> (same struct type, value written, not registered), replacing the
    /// implementation in place (BPF_LINK_UPDATE). With <paramref name="expectedOld"/> the swap happens only if the
    /// link still holds that map (else EPERM). Not every struct_ops type supports it (EOPNOTSUPP); for
    /// <c>tcp_congestion_ops</c> the new map must keep the name.
    /// </summary>
    public static void Update(BpfLink link, BpfMap newMap, BpfMap? expectedOld = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        CheckLinkMap(newMap);
        using FdLease l = link.Fd.Lease();
        using FdLease m = newMap.Fd.Lease();
        using FdLease old = expectedOld is null ? default : expectedOld.Fd.Lease();
        var attr = new LinkUpdateAttr
        {
            LinkFd = l.UFd,
            NewMapFd = m.UFd,
            Flags = expectedOld is null ? 0 : (uint)ProgramAttachFlags.Replace,
            OldMapFd = expectedOld is null ? 0 : old.UFd,
        };
        int r = BpfSyscall.Invoke(link.Fd.Syscalls, BpfCommand.LinkUpdate, ref attr);
        if (r < 0)
            throw new BpfSyscallException(BpfCommand.LinkUpdate, -r, $"moving {link} to struct_ops {newMap}", (Errno)(-r) switch
            {
                Errno.EPERM => $"the link no longer holds {expectedOld}.",
                Errno.EINVAL => "the new map must implement the same struct, have its value written and not be registered; a congestion control must keep its name.",
                Errno.EOPNOTSUPP => "this struct_ops type cannot be updated in place: detach and register the new map.",
                _ => null,
            });
    }

    /// <summary>The id of the struct_ops map the link holds (0 once detached).</summary>
    public static uint GetMapId(BpfLink link)
    {
        return LinkCreation.InfoOfType(link, BpfLinkType.StructOps, "a struct_ops link").MapId ?? 0;
    }

    static void CheckLinkMap(BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type != BpfMapType.StructOps)
            throw new ArgumentException($"{map} is not a struct_ops map.", nameof(map));
        if ((map.Flags & MapCreateFlags.Link) == 0)
            throw new ArgumentException(
                $"{map} was created without BPF_F_LINK, so it registers when its value is written and cannot be linked: " +
                "declare it in SEC(\".struct_ops.link\") to get a link, or register it with BpfObject.RegisterStructOps.", nameof(map));
    }
}
