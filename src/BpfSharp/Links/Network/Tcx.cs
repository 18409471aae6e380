using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Network;

/// <summary>
/// tcx (Linux 6.6+): tc programs (type sched_cls) attached to an interface's ingress or egress by BPF link, with no
/// qdisc, in an ordered chain. Several programs share a hook; each link is detached on its own. libbpf 1.1 and
/// iproute2 6.1 do not know tcx — on such systems <see cref="ClsAct"/> is the older way.
/// </summary>
public static class Tcx
{
    /// <summary>
    /// Attaches <paramref name="program"/> to interface <paramref name="ifIndex"/> (in the calling thread's network
    /// namespace) at <paramref name="position"/> (default: last). With <paramref name="expectedRevision"/> ≠ 0 the
    /// attach happens only if the chain is still at that revision (else ESTALE).
    /// </summary>
    public static BpfLink Attach(BpfProgram program, int ifIndex, TcDirection direction, TcxPosition? position = null,
        ulong expectedRevision = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        NetDevice.CheckIndex(ifIndex);
        position ??= TcxPosition.Last;
        using FdLease p = program.Fd.Lease();
        var attr = new LinkCreateAttr
        {
            ProgFd = p.UFd,
            TargetIfindex = (uint)ifIndex,
            AttachType = (uint)AttachType(direction),
            Flags = (uint)position.Flags,
            TcxRelativeId = position.RelativeId,
            TcxExpectedRevision = expectedRevision,
        };
        string what = $"{program} as tcx {direction} on interface {ifIndex}, {position}";
        int r;
        if (position.RelativeFd is { } relative)
        {
            using FdLease anchor = relative.Lease();
            attr.TcxRelativeFd = anchor.UFd;
            r = BpfSyscall.Invoke(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr);
        }
        else r = BpfSyscall.Invoke(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr);
        if (r < 0)
            throw new BpfSyscallException(BpfCommand.LinkCreate, -r, $"attaching {what}", Hint((Errno)(-r), ifIndex, expectedRevision));
        return BpfLink.FromCreatedFd(new BpfFileDescriptor(r, program.Fd.Syscalls), what);
    }

    /// <summary>Attaches to the interface called <paramref name="interfaceName"/>; see <see cref="Attach(BpfProgram, int, TcDirection, TcxPosition?, ulong)"/>.</summary>
    public static BpfLink Attach(BpfProgram program, string interfaceName, TcDirection direction, TcxPosition? position = null,
        ulong expectedRevision = 0) => Attach(program, NetDevice.IndexOf(interfaceName), direction, position, expectedRevision);

    /// <summary>The chain at an interface's ingress or egress, in run order (BPF_PROG_QUERY on the ifindex).</summary>
    public static unsafe TcxChain Query(int ifIndex, TcDirection direction, ISyscalls? syscalls = null)
    {
        NetDevice.CheckIndex(ifIndex);
        syscalls ??= LinuxSyscalls.Instance;
        string context = $"querying tcx {direction} of interface {ifIndex}";
        var attr = new ProgQueryAttr { TargetIfindex = (uint)ifIndex, AttachType = (uint)AttachType(direction) };
        Check(syscalls, ref attr, context, ifIndex);
        while (true)
        {
            uint count = attr.Count;
            if (count == 0) return new TcxChain([], attr.Revision);
            uint[] programs = new uint[count], links = new uint[count];
            fixed (uint* pp = programs)
            fixed (uint* lp = links)
            {
                attr = new ProgQueryAttr
                {
                    TargetIfindex = (uint)ifIndex,
                    AttachType = (uint)AttachType(direction),
                    ProgIds = (ulong)pp,
                    LinkIds = (ulong)lp,
                    Count = count,
                };
                int r = BpfSyscall.Invoke(syscalls, BpfCommand.ProgQuery, ref attr);
                // ENOSPC: programs were attached since the count was read; attr.Count holds the new total.
                if (r == -(int)Errno.ENOSPC) continue;
                if (r < 0) throw new BpfSyscallException(BpfCommand.ProgQuery, -r, context, Hint((Errno)(-r), ifIndex, 0));
            }
            int n = (int)Math.Min(attr.Count, count);
            var entries = new TcxEntry[n];
            for (int i = 0; i < n; i++) entries[i] = new TcxEntry(programs[i], links[i]);
            return new TcxChain(entries, attr.Revision);
        }
    }

    /// <summary>The chain of the interface called <paramref name="interfaceName"/>.</summary>
    public static TcxChain Query(string interfaceName, TcDirection direction) => Query(NetDevice.IndexOf(interfaceName), direction);

    static void Check(ISyscalls syscalls, ref ProgQueryAttr attr, string context, int ifIndex)
    {
        int r = BpfSyscall.Invoke(syscalls, BpfCommand.ProgQuery, ref attr);
        if (r < 0) throw new BpfSyscallException(BpfCommand.ProgQuery, -r, context, Hint((Errno)(-r), ifIndex, 0));
    }

    internal static BpfAttachType AttachType(TcDirection direction) => direction switch
    {
        TcDirection.Ingress => BpfAttachType.TcxIngress,
        TcDirection.Egress => BpfAttachType.TcxEgress,
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Ingress or Egress."),
    };

    static string Hint(Errno errno, int ifIndex, ulong expectedRevision) => errno switch
    {
        Errno.ENODEV => $"there is no interface {ifIndex} in this thread's network namespace (NetworkNamespace.Run enters another).",
        Errno.ESTALE => $"the chain is no longer at revision {expectedRevision}: query it again and retry with the new revision.",
        Errno.EEXIST => "this program is already in the chain; a program can be attached once per hook.",
        Errno.ENOENT => "the program or link given as the position's anchor is not in this chain.",
        Errno.ERANGE => "the position cannot be satisfied (its anchors disagree), or the chain is full.",
        Errno.EINVAL =>
            "the program is not of type sched_cls/sched_act, the anchor is of another program type, or the kernel predates tcx (Linux 6.6).",
        Errno.EBADF => "the anchor's fd is not an open program or link.",
        Errno.EPERM => "attaching tc programs needs CAP_NET_ADMIN (and CAP_BPF): run as root.",
        _ => "see bpf(2), BPF_LINK_CREATE with BPF_TCX_INGRESS/EGRESS.",
    };
}
