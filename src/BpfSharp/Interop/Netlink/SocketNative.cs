using System.Runtime.InteropServices;

namespace BpfSharp.Interop.Netlink;

/// <summary>
/// libc calls for networking that the bpf syscall seam does not cover: netlink sockets, socket options, interface
/// names and network namespaces. Each returns its result or -errno, like <see cref="ISyscalls"/>.
/// </summary>
static unsafe partial class SocketNative
{
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVTIMEO = 20;          // the 64-bit time_t variant on every 64-bit ABI
    public const int SO_ATTACH_BPF = 50;
    public const int SO_DETACH_BPF = 27;        // = SO_DETACH_FILTER
    public const int MSG_PEEK = 0x2;
    public const int MSG_TRUNC = 0x20;
    public const int CLONE_NEWNET = 0x40000000;
    public const int O_RDONLY_CLOEXEC = 0x80000;
    public const int IF_NAMESIZE = 16;

    public static int Socket(int domain, int type, int protocol) => Result(socket(domain, type, protocol));

    public static int Bind(int fd, void* address, int length) => Result(bind(fd, address, length));

    public static int SetSocketOption(int fd, int level, int name, void* value, int length) =>
        Result(setsockopt(fd, level, name, value, length));

    public static long Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            nint r = send(fd, p, (nuint)data.Length, 0);
            return r < 0 ? -Marshal.GetLastPInvokeError() : r;
        }
    }

    public static long Receive(int fd, Span<byte> buffer, int flags)
    {
        fixed (byte* p = buffer)
        {
            nint r = recv(fd, p, (nuint)buffer.Length, flags);
            return r < 0 ? -Marshal.GetLastPInvokeError() : r;
        }
    }

    public static int SetNamespace(int fd, int type) => Result(setns(fd, type));

    /// <summary>The index of a network interface in the calling thread's network namespace, or 0 when there is none.</summary>
    public static uint InterfaceIndex(string name) => if_nametoindex(name);

    /// <summary>The name of an interface index in the calling thread's network namespace, or null when there is none.</summary>
    public static string? InterfaceName(uint index)
    {
        byte* name = stackalloc byte[IF_NAMESIZE];
        return if_indextoname(index, name) == null ? null : Marshal.PtrToStringUTF8((nint)name);
    }

    static int Result(int r) => r < 0 ? -Marshal.GetLastPInvokeError() : r;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int bind(int fd, void* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, void* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int type);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint if_nametoindex(string name);

    [LibraryImport("libc")]
    private static partial byte* if_indextoname(uint index, byte* name);
}
