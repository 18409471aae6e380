using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Cgroups;

/// <summary>
/// Attaches cgroup programs by link (BPF_LINK_CREATE on the cgroup's directory fd): the program runs for the cgroup
/// and its descendants until the link is disposed (unless pinned) or detached. Links always allow several programs
/// per hook; legacy attachment with its exclusive and override modes is <see cref="CgroupProgram"/>.
/// </summary>
/// <example><code>
/// using BpfLink link = CgroupLink.Attach(obj.Program("deny_connect"), "/sys/fs/cgroup/unified/app", CgroupHook.Connect4);
/// </code></example>
public static class CgroupLink
{
    /// <summary>Attaches <paramref name="program"/> at <paramref name="hook"/> of the cgroup v2 directory <paramref name="cgroupPath"/>.</summary>
    /// <exception cref="ArgumentException">The program's type cannot run at <paramref name="hook"/>; the message says how to load it.</exception>
    /// <exception cref="BpfSyscallException">The cgroup cannot be opened, or the kernel refuses the attach (the message says why).</exception>
    public static BpfLink Attach(BpfProgram program, string cgroupPath, CgroupHook hook, CgroupOrder order = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        CgroupHooks.Check(program, hook);
        using BpfFileDescriptor cgroup = Cgroup.Open(cgroupPath, program.Fd.Syscalls);
        return Attach(program, cgroup, hook, order);
    }

    /// <summary>Attaches <paramref name="program"/> at <paramref name="hook"/> of a cgroup opened with <see cref="Cgroup.Open"/>.</summary>
    public static BpfLink Attach(BpfProgram program, BpfFileDescriptor cgroup, CgroupHook hook, CgroupOrder order = default)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        CgroupHooks.HookInfo info = CgroupHooks.Check(program, hook);
        if (order.IsDefault)
        {
            try { return BpfLink.Create(program, cgroup, info.AttachType); }
            catch (BpfSyscallException e) when (e.Errno == Errno.EINVAL)
            {
                throw new BpfSyscallException(BpfCommand.LinkCreate, (int)Errno.EINVAL, e.Context, CgroupHooks.WhyInvalid(program, hook));
            }
        }

        if (order.HasAnchor && !order.AnchorsOnLink)
            throw new ArgumentException($"a link is placed relative to another link, not to a program ({order}): pass the BpfLink (CgroupOrder.Before(link)) or its id (CgroupOrder.BeforeLinkId).", nameof(order));
        using FdLease p = program.Fd.Lease();
        using FdLease target = cgroup.Lease();
        using FdLease relative = order.LeaseAnchor();
        var attr = new LinkCreateAttr
        {
            ProgFd = p.UFd,
            TargetFd = target.UFd,
            AttachType = (uint)info.AttachType,
            Flags = (uint)order.Flags,
            CgroupRelativeFd = order.Relative(relative),
            CgroupExpectedRevision = order.ExpectedRevision,
        };
        return LinkCreation.Create(program.Fd.Syscalls, ref attr, $"{program} at cgroup hook {hook} ({order})",
            errno => order.Explain(errno) ?? (errno == Errno.EINVAL ? CgroupHooks.WhyInvalid(program, hook) : null));
    }
}
