namespace BpfSharp.Kernel;

/// <summary>An XDP program (section <c>xdp</c>, or <c>xdp.frags</c>): takes <c>XdpMd*</c> or <c>ref XdpMd</c>, returns <see cref="XdpAction"/>.</summary>
public sealed class XdpAttribute : ProgramAttribute
{
    /// <summary>The program handles multi-buffer packets (section <c>xdp.frags</c>, loaded with BPF_F_XDP_HAS_FRAGS).</summary>
    public bool Frags { get; set; }
}

/// <summary>A socket filter (section <c>socket</c>): takes <c>SkBuff*</c> or <c>ref SkBuff</c>, returns the number of bytes to keep (0 drops).</summary>
public sealed class SocketFilterAttribute : ProgramAttribute { }

/// <summary>
/// A tc classifier in direct-action mode (section <c>tc</c>), attached through clsact/cls_bpf or a tcx link chosen at
/// attach time: takes <c>SkBuff*</c> or <c>ref SkBuff</c>, returns <see cref="TcAction"/>.
/// </summary>
public sealed class TcAttribute : ProgramAttribute { }

/// <summary>Which side of an interface a tcx or cgroup_skb program sees.</summary>
public enum TrafficDirection
{
    /// <summary>Packets arriving.</summary>
    Ingress = 0,
    /// <summary>Packets leaving.</summary>
    Egress = 1,
}

/// <summary>A tc program for a tcx link (section <c>tcx/ingress</c> or <c>tcx/egress</c>): as <see cref="TcAttribute"/>.</summary>
public sealed class TcxAttribute(TrafficDirection direction) : ProgramAttribute
{
    /// <summary>Ingress or egress.</summary>
    public TrafficDirection Direction { get; } = direction;
}

/// <summary>A cgroup socket-buffer program (section <c>cgroup_skb/ingress|egress</c>): takes <c>SkBuff*</c>, returns 1 to allow, 0 to drop.</summary>
public sealed class CgroupSkbAttribute(TrafficDirection direction) : ProgramAttribute
{
    /// <summary>Ingress or egress.</summary>
    public TrafficDirection Direction { get; } = direction;
}

/// <summary>The socket event a <see cref="CgroupSockAttribute"/> program runs on.</summary>
public enum CgroupSockHook
{
    /// <summary><c>cgroup/sock_create</c>: a socket is created.</summary>
    Create = 0,
    /// <summary><c>cgroup/sock_release</c>: a socket is released.</summary>
    Release = 1,
    /// <summary><c>cgroup/post_bind4</c>: after an IPv4 bind.</summary>
    PostBind4 = 2,
    /// <summary><c>cgroup/post_bind6</c>: after an IPv6 bind.</summary>
    PostBind6 = 3,
}

/// <summary>A cgroup socket program (section <c>cgroup/sock_create</c>, …): takes <c>BpfSock*</c>, returns 1 to allow, 0 to deny.</summary>
public sealed class CgroupSockAttribute(CgroupSockHook hook) : ProgramAttribute
{
    /// <summary>The socket event.</summary>
    public CgroupSockHook Hook { get; } = hook;
}

/// <summary>The socket call a <see cref="CgroupSockAddrAttribute"/> program runs on.</summary>
public enum CgroupSockAddrHook
{
    Bind4 = 0, Bind6 = 1, Connect4 = 2, Connect6 = 3, ConnectUnix = 4,
    SendMsg4 = 5, SendMsg6 = 6, SendMsgUnix = 7, RecvMsg4 = 8, RecvMsg6 = 9, RecvMsgUnix = 10,
    GetPeerName4 = 11, GetPeerName6 = 12, GetPeerNameUnix = 13,
    GetSockName4 = 14, GetSockName6 = 15, GetSockNameUnix = 16,
}

/// <summary>A cgroup socket-address program (section <c>cgroup/connect4</c>, …): takes <c>BpfSockAddr*</c>, returns 1 to allow, 0 to deny.</summary>
public sealed class CgroupSockAddrAttribute(CgroupSockAddrHook hook) : ProgramAttribute
{
    /// <summary>The socket call.</summary>
    public CgroupSockAddrHook Hook { get; } = hook;
}

/// <summary>A socket lookup program (section <c>sk_lookup</c>): takes a <c>void*</c> context (<c>struct bpf_sk_lookup</c>).</summary>
public sealed class SkLookupAttribute : ProgramAttribute { }
