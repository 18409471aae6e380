using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Sockets;

/// <summary>The address family of a netfilter hook (<c>NFPROTO_*</c>); BPF netfilter links take IPv4 and IPv6.</summary>
public enum NetfilterProtocol : uint
{
    IPv4 = 2,
    IPv6 = 10,
}

/// <summary>Where in the IP stack a netfilter hook runs (<c>enum nf_inet_hooks</c>).</summary>
public enum NetfilterHook : uint
{
    /// <summary>Every packet received, before routing.</summary>
    PreRouting = 0,
    /// <summary>Packets for this host, after routing.</summary>
    LocalIn = 1,
    /// <summary>Packets routed through this host.</summary>
    Forward = 2,
    /// <summary>Packets this host sends, before routing. Dropping here makes send fail with EPERM.</summary>
    LocalOut = 3,
    /// <summary>Every packet leaving, after routing.</summary>
    PostRouting = 4,
}

/// <summary>Flags of a netfilter link.</summary>
[Flags]
public enum NetfilterLinkFlags : uint
{
    None = 0,
    /// <summary>
    /// Have the program see reassembled IP packets (BPF_F_NETFILTER_IP_DEFRAG, Linux 6.6+): enables the kernel's
    /// defragmentation, so the priority must be above its hook (greater than -400, <c>NF_IP_PRI_CONNTRACK_DEFRAG</c>).
    /// </summary>
    IpDefrag = 1,
}

/// <summary>What the kernel reports about a netfilter link.</summary>
public readonly record struct NetfilterLinkInfo(NetfilterProtocol Protocol, NetfilterHook Hook, int Priority, NetfilterLinkFlags Flags);

/// <summary>
/// Netfilter programs (Linux 6.4+, program type netfilter, loaded with expected attach type BPF_NETFILTER, section
/// <c>netfilter</c>) attached by link to a netfilter hook of the calling thread's network namespace, beside
/// iptables/nftables chains, ordered among them by priority. The program returns NF_DROP (0) or NF_ACCEPT (1).
/// </summary>
/// <example><code>
/// using BpfLink link = NetfilterLink.Attach(obj.Program("drop_udp"), NetfilterProtocol.IPv4, NetfilterHook.LocalOut, priority: -128);
/// </code></example>
public static class NetfilterLink
{
    /// <summary>
    /// Attaches <paramref name="program"/> at <paramref name="hook"/> of <paramref name="protocol"/> in the network
    /// namespace of the calling thread. <paramref name="priority"/> orders it among the hook's functions (lower runs
    /// first; int.MinValue and int.MaxValue are reserved).
    /// </summary>
    public static BpfLink Attach(BpfProgram program, NetfilterProtocol protocol, NetfilterHook hook, int priority,
        NetfilterLinkFlags flags = NetfilterLinkFlags.None)
    {
        ProgramChecks.Require(program, BpfProgramType.Netfilter, "to a netfilter hook", "netfilter", nameof(BpfAttachType.Netfilter));
        using FdLease p = program.Fd.Lease();
        var attr = new LinkCreateAttr
        {
            ProgFd = p.UFd,
            AttachType = (uint)BpfAttachType.Netfilter,
            NetfilterPf = (uint)protocol,
            NetfilterHooknum = (uint)hook,
            NetfilterPriority = priority,
            NetfilterFlags = (uint)flags,
        };
        return LinkCreation.Create(program.Fd.Syscalls, ref attr, $"{program} at netfilter {protocol} {hook} priority {priority}",
            errno => Explain(errno, priority, flags));
    }

    /// <summary>The hook a netfilter link is attached to, from the link's info.</summary>
    public static NetfilterLinkInfo GetInfo(BpfLink link)
    {
        LinkInfo info = LinkCreation.InfoOfType(link, BpfLinkType.Netfilter, "a netfilter link");
        return new NetfilterLinkInfo((NetfilterProtocol)(info.ProtocolFamily ?? 0), (NetfilterHook)(info.Hook ?? 0), info.Priority ?? 0,
            (NetfilterLinkFlags)(info.Flags ?? 0));
    }

    static string? Explain(Errno errno, int priority, NetfilterLinkFlags flags) => errno switch
    {
        Errno.EAFNOSUPPORT => "netfilter links take the protocols IPv4 and IPv6 only.",
        Errno.EPROTO => "the hook number is not one of PreRouting, LocalIn, Forward, LocalOut, PostRouting.",
        Errno.ERANGE when (flags & NetfilterLinkFlags.IpDefrag) != 0 && priority <= -400 =>
            $"with IpDefrag the priority must be greater than -400 (NF_IP_PRI_CONNTRACK_DEFRAG) so the program runs after defragmentation; {priority} is not.",
        Errno.ERANGE => $"the priorities int.MinValue and int.MaxValue are reserved for netfilter itself; {priority} is one of them.",
        Errno.EOPNOTSUPP => "a flag this kernel does not know (IpDefrag needs Linux 6.6), or defragmentation support (nf_defrag_ipv4/ipv6) is missing.",
        Errno.EINVAL => "the program must be loaded with ExpectedAttachType = Netfilter (SEC(\"netfilter\") sets it), and link flags must be 0.",
        _ => null,
    };
}
