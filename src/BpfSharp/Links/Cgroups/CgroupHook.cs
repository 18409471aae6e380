namespace BpfSharp.Links.Cgroups;

/// <summary>
/// The places in a cgroup where a program can run. Each hook needs one program type (and, for most, the matching
/// expected attach type at load): <see cref="CgroupHooks"/> says which, and libbpf's section name sets both.
/// </summary>
public enum CgroupHook
{
    /// <summary>Every packet a socket of the cgroup receives (<c>cgroup_skb/ingress</c>); return 1 to pass, 0 to drop.</summary>
    Ingress,
    /// <summary>Every packet a socket of the cgroup sends (<c>cgroup_skb/egress</c>); 0 drops it and the send fails with EPERM.</summary>
    Egress,
    /// <summary>socket(2) of an inet socket (<c>cgroup/sock_create</c>); 0 makes socket() fail with EPERM.</summary>
    SockCreate,
    /// <summary>An inet socket being released (<c>cgroup/sock_release</c>).</summary>
    SockRelease,
    /// <summary>After an IPv4 bind (<c>cgroup/post_bind4</c>); 0 undoes the bind with EPERM.</summary>
    PostBind4,
    /// <summary>After an IPv6 bind (<c>cgroup/post_bind6</c>).</summary>
    PostBind6,
    /// <summary>bind(2) to an IPv4 address (<c>cgroup/bind4</c>); may rewrite the address, 0 denies with EPERM.</summary>
    Bind4,
    /// <summary>bind(2) to an IPv6 address (<c>cgroup/bind6</c>).</summary>
    Bind6,
    /// <summary>connect(2) to an IPv4 address (<c>cgroup/connect4</c>); may rewrite the destination, 0 denies with EPERM.</summary>
    Connect4,
    /// <summary>connect(2) to an IPv6 address (<c>cgroup/connect6</c>).</summary>
    Connect6,
    /// <summary>sendmsg(2) of an unconnected UDP socket to IPv4 (<c>cgroup/sendmsg4</c>).</summary>
    SendMsg4,
    /// <summary>sendmsg(2) of an unconnected UDP socket to IPv6 (<c>cgroup/sendmsg6</c>).</summary>
    SendMsg6,
    /// <summary>recvmsg(2) on a UDP socket, IPv4 (<c>cgroup/recvmsg4</c>): may rewrite the source address reported.</summary>
    RecvMsg4,
    /// <summary>recvmsg(2) on a UDP socket, IPv6 (<c>cgroup/recvmsg6</c>).</summary>
    RecvMsg6,
    /// <summary>getpeername(2), IPv4 (<c>cgroup/getpeername4</c>).</summary>
    GetPeerName4,
    /// <summary>getpeername(2), IPv6 (<c>cgroup/getpeername6</c>).</summary>
    GetPeerName6,
    /// <summary>getsockname(2), IPv4 (<c>cgroup/getsockname4</c>).</summary>
    GetSockName4,
    /// <summary>getsockname(2), IPv6 (<c>cgroup/getsockname6</c>).</summary>
    GetSockName6,
    /// <summary>connect(2) of a Unix socket (<c>cgroup/connect_unix</c>, Linux 6.7+).</summary>
    UnixConnect,
    /// <summary>sendmsg(2) of a Unix datagram socket (<c>cgroup/sendmsg_unix</c>, Linux 6.7+).</summary>
    UnixSendMsg,
    /// <summary>recvmsg(2) of a Unix datagram socket (<c>cgroup/recvmsg_unix</c>, Linux 6.7+).</summary>
    UnixRecvMsg,
    /// <summary>getpeername(2) of a Unix socket (<c>cgroup/getpeername_unix</c>, Linux 6.7+).</summary>
    UnixGetPeerName,
    /// <summary>getsockname(2) of a Unix socket (<c>cgroup/getsockname_unix</c>, Linux 6.7+).</summary>
    UnixGetSockName,
    /// <summary>TCP events of the cgroup's sockets (<c>sockops</c>).</summary>
    SockOps,
    /// <summary>getsockopt(2) (<c>cgroup/getsockopt</c>): sees and may change the option value returned.</summary>
    GetSockOpt,
    /// <summary>setsockopt(2) (<c>cgroup/setsockopt</c>): sees and may change the option, 0 denies with EPERM.</summary>
    SetSockOpt,
    /// <summary>Reads and writes of <c>/proc/sys</c> (<c>cgroup/sysctl</c>); 0 denies with EPERM.</summary>
    Sysctl,
    /// <summary>Opening or mknod of a device node (<c>cgroup/dev</c>); 0 denies with EPERM.</summary>
    Device,
}
