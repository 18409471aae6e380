using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>A socket as programs see it (<c>struct bpf_sock</c>): the context of cgroup/sock programs and <see cref="SkBuff.Sk"/>.</summary>
[KernelStruct("bpf_sock"), StructLayout(LayoutKind.Sequential)]
public unsafe struct BpfSock
{
    public uint BoundDevIf;
    public uint Family;
    public uint Type;
    public uint Protocol;
    public uint Mark;
    public uint Priority;
    /// <summary>Network byte order.</summary>
    public uint SrcIp4;
    public fixed uint SrcIp6[4];
    /// <summary>Host byte order.</summary>
    public uint SrcPort;
    /// <summary>Network byte order (a <c>__be16</c>, then 2 bytes of padding).</summary>
    public ushort DstPort;
    public uint DstIp4;
    public fixed uint DstIp6[4];
    public uint State;
    public int RxQueueMapping;
}

/// <summary>The context of cgroup socket-address programs (<c>struct bpf_sock_addr</c>): the address a socket call uses, rewritable.</summary>
[KernelStruct("bpf_sock_addr"), StructLayout(LayoutKind.Sequential)]
public unsafe struct BpfSockAddr
{
    public uint UserFamily;
    /// <summary>Network byte order.</summary>
    public uint UserIp4;
    public fixed uint UserIp6[4];
    /// <summary>Network byte order.</summary>
    public uint UserPort;
    public uint Family;
    public uint Type;
    public uint Protocol;
    public uint MsgSrcIp4;
    public fixed uint MsgSrcIp6[4];
    /// <summary>The socket.</summary>
    public BpfSock* Sk;
}
