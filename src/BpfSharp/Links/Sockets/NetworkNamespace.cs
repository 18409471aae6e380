using BpfSharp.Interop;

namespace BpfSharp.Links.Sockets;

/// <summary>
/// Network namespaces as attach targets: sk_lookup and flow dissector links attach to a namespace fd. A namespace is
/// opened by a path that names it: <c>/proc/PID/ns/net</c>, <c>/proc/thread-self/ns/net</c>, or a bind mount such as
/// <c>/run/netns/NAME</c> made by <c>ip netns add</c>.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>The namespace of the calling thread (which may differ from the process's after setns).</summary>
    public const string CurrentThread = "/proc/thread-self/ns/net";

    /// <summary>Opens a network namespace read-only (<c>O_RDONLY|O_CLOEXEC</c>) as an fd to attach programs to.</summary>
    public static BpfFileDescriptor Open(string path = CurrentThread, ISyscalls? syscalls = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        syscalls ??= LinuxSyscalls.Instance;
        int r = syscalls.Open(path, OpenFlags.ReadOnly);
        if (r < 0)
            throw new BpfSyscallException("open", -r, -r switch
            {
                2 => "no such namespace file (a netns made with 'ip netns add NAME' is at /run/netns/NAME).",
                13 => "permission denied on the namespace file.",
                _ => "see open(2).",
            }, $"opening network namespace '{path}'");
        return new BpfFileDescriptor(r, syscalls);
    }

    /// <summary>The namespace's inode number, its identity (as link info reports it in <see cref="LinkInfo.NetnsInode"/>).</summary>
    public static ulong Inode(BpfFileDescriptor netns)
    {
        ArgumentNullException.ThrowIfNull(netns);
        return FileIdentity.Inode(netns);
    }
}
