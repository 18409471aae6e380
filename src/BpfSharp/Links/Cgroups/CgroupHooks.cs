using BpfSharp.Abi;
using BpfSharp.Programs;

namespace BpfSharp.Links.Cgroups;

/// <summary>What each <see cref="CgroupHook"/> is to the kernel: its attach type, the program type it runs, libbpf's section name.</summary>
public static class CgroupHooks
{
    /// <summary>One hook's facts.</summary>
    public readonly record struct HookInfo(BpfAttachType AttachType, BpfProgramType ProgramType, string SectionName,
        bool NeedsExpectedAttachType);

    /// <summary>
    /// The attach type, program type and libbpf section of <paramref name="hook"/>, and whether the program must be
    /// loaded with that attach type as its expected attach type (sock_addr, sockopt and most sock hooks; cgroup_skb,
    /// sock_create, sysctl, device and sockops programs may omit it).
    /// </summary>
    public static HookInfo Info(CgroupHook hook) => hook switch
    {
        CgroupHook.Ingress => new(BpfAttachType.CgroupInetIngress, BpfProgramType.CgroupSkb, "cgroup_skb/ingress", false),
        CgroupHook.Egress => new(BpfAttachType.CgroupInetEgress, BpfProgramType.CgroupSkb, "cgroup_skb/egress", false),
        CgroupHook.SockCreate => new(BpfAttachType.CgroupInetSockCreate, BpfProgramType.CgroupSock, "cgroup/sock_create", false),
        CgroupHook.SockRelease => new(BpfAttachType.CgroupInetSockRelease, BpfProgramType.CgroupSock, "cgroup/sock_release", true),
        CgroupHook.PostBind4 => new(BpfAttachType.CgroupInet4PostBind, BpfProgramType.CgroupSock, "cgroup/post_bind4", true),
        CgroupHook.PostBind6 => new(BpfAttachType.CgroupInet6PostBind, BpfProgramType.CgroupSock, "cgroup/post_bind6", true),
        CgroupHook.Bind4 => SockAddr(BpfAttachType.CgroupInet4Bind, "bind4"),
        CgroupHook.Bind6 => SockAddr(BpfAttachType.CgroupInet6Bind, "bind6"),
        CgroupHook.Connect4 => SockAddr(BpfAttachType.CgroupInet4Connect, "connect4"),
        CgroupHook.Connect6 => SockAddr(BpfAttachType.CgroupInet6Connect, "connect6"),
        CgroupHook.SendMsg4 => SockAddr(BpfAttachType.CgroupUdp4Sendmsg, "sendmsg4"),
        CgroupHook.SendMsg6 => SockAddr(BpfAttachType.CgroupUdp6Sendmsg, "sendmsg6"),
        CgroupHook.RecvMsg4 => SockAddr(BpfAttachType.CgroupUdp4Recvmsg, "recvmsg4"),
        CgroupHook.RecvMsg6 => SockAddr(BpfAttachType.CgroupUdp6Recvmsg, "recvmsg6"),
        CgroupHook.GetPeerName4 => SockAddr(BpfAttachType.CgroupInet4Getpeername, "getpeername4"),
        CgroupHook.GetPeerName6 => SockAddr(BpfAttachType.CgroupInet6Getpeername, "getpeername6"),
        CgroupHook.GetSockName4 => SockAddr(BpfAttachType.CgroupInet4Getsockname, "getsockname4"),
        CgroupHook.GetSockName6 => SockAddr(BpfAttachType.CgroupInet6Getsockname, "getsockname6"),
        CgroupHook.UnixConnect => SockAddr(BpfAttachType.CgroupUnixConnect, "connect_unix"),
        CgroupHook.UnixSendMsg => SockAddr(BpfAttachType.CgroupUnixSendmsg, "sendmsg_unix"),
        CgroupHook.UnixRecvMsg => SockAddr(BpfAttachType.CgroupUnixRecvmsg, "recvmsg_unix"),
        CgroupHook.UnixGetPeerName => SockAddr(BpfAttachType.CgroupUnixGetpeername, "getpeername_unix"),
        CgroupHook.UnixGetSockName => SockAddr(BpfAttachType.CgroupUnixGetsockname, "getsockname_unix"),
        CgroupHook.SockOps => new(BpfAttachType.CgroupSockOps, BpfProgramType.SockOps, "sockops", false),
        CgroupHook.GetSockOpt => new(BpfAttachType.CgroupGetsockopt, BpfProgramType.CgroupSockopt, "cgroup/getsockopt", true),
        CgroupHook.SetSockOpt => new(BpfAttachType.CgroupSetsockopt, BpfProgramType.CgroupSockopt, "cgroup/setsockopt", true),
        CgroupHook.Sysctl => new(BpfAttachType.CgroupSysctl, BpfProgramType.CgroupSysctl, "cgroup/sysctl", false),
        CgroupHook.Device => new(BpfAttachType.CgroupDevice, BpfProgramType.CgroupDevice, "cgroup/dev", false),
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, "not a cgroup hook."),
    };

    /// <summary>The attach type the kernel knows <paramref name="hook"/> by.</summary>
    public static BpfAttachType AttachType(this CgroupHook hook) => Info(hook).AttachType;

    /// <summary>The hook whose attach type is <paramref name="attachType"/> (e.g. from a program's section), or null when it is not a cgroup hook.</summary>
    public static CgroupHook? FromAttachType(BpfAttachType attachType)
    {
        foreach (CgroupHook hook in Enum.GetValues<CgroupHook>())
            if (Info(hook).AttachType == attachType) return hook;
        return null;
    }

    static HookInfo SockAddr(BpfAttachType type, string name) => new(type, BpfProgramType.CgroupSockAddr, "cgroup/" + name, true);

    /// <summary>Throws <see cref="ArgumentException"/> saying how to load the program when its type cannot run at <paramref name="hook"/>.</summary>
    internal static HookInfo Check(BpfProgram program, CgroupHook hook)
    {
        ArgumentNullException.ThrowIfNull(program);
        HookInfo info = Info(hook);
        if (program.Type != info.ProgramType)
            throw new ArgumentException(
                $"{program} cannot run at the cgroup hook {hook}: that hook runs {info.ProgramType} programs. " +
                $"Load it with Type = {info.ProgramType}" + (info.NeedsExpectedAttachType ? $" and ExpectedAttachType = {info.AttachType}" : "") +
                $", or put it in SEC(\"{info.SectionName}\") in C.", nameof(program));
        return info;
    }

    /// <summary>The sentence added to the kernel's EINVAL when attaching a program of the right type fails.</summary>
    internal static string WhyInvalid(BpfProgram program, CgroupHook hook)
    {
        HookInfo info = Info(hook);
        return info.NeedsExpectedAttachType
            ? $"{program} must have been loaded with ExpectedAttachType = {info.AttachType} (SEC(\"{info.SectionName}\") sets it) to attach at {hook}; " +
              "a program loaded for another hook of the same type cannot move."
            : $"if {program} was loaded with an ExpectedAttachType, it must be {info.AttachType} for {hook}.";
    }
}
