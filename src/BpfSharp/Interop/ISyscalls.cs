using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>
/// The one seam between BpfSharp and the kernel. Every system call BpfSharp makes goes through an implementation
/// of this interface, so map and program logic can be unit-tested with a fake; <see cref="LinuxSyscalls"/> is the
/// real one. Each method returns its non-negative result, or a negative errno — never throws.
/// </summary>
public unsafe interface ISyscalls
{
    /// <summary>bpf(2): returns the result (often an fd) or -errno.</summary>
    int Bpf(BpfCommand command, void* attr, uint size);

    /// <summary>close(2): 0 or -errno.</summary>
    int Close(int fd);

    /// <summary>mmap(2): the address, or -errno.</summary>
    long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset);

    /// <summary>munmap(2): 0 or -errno.</summary>
    int Munmap(void* address, nuint length);

    /// <summary>open(2) of a path (UTF-8) with <c>O_*</c> flags and no creation mode: the new fd, or -errno.</summary>
    int Open(string path, int flags);

    // The calls below have defaults that answer ENOSYS, so a fake need only implement what its tests use.

    /// <summary>perf_event_open(2): the new fd, or -errno.</summary>
    int PerfEventOpen(PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags) => -(int)Errno.ENOSYS;

    /// <summary>ioctl(2) with an integer or pointer argument: the result, or -errno.</summary>
    int Ioctl(int fd, ulong request, nint argument) => -(int)Errno.ENOSYS;

    /// <summary>read(2): bytes read (0 at end of file), or -errno.</summary>
    long Read(int fd, void* buffer, nuint count) => -(int)Errno.ENOSYS;

    /// <summary>epoll_create1(2) with EPOLL_CLOEXEC: the new fd, or -errno.</summary>
    int EpollCreate() => -(int)Errno.ENOSYS;

    /// <summary>epoll_ctl(2): 0 or -errno.</summary>
    int EpollCtl(int epollFd, EpollOperation operation, int fd, EpollEvent* e) => -(int)Errno.ENOSYS;

    /// <summary>epoll_wait(2): the number of ready events, or -errno (-EINTR when a signal interrupted it).</summary>
    int EpollWait(int epollFd, EpollEvent* events, int maxEvents, int timeoutMilliseconds) => -(int)Errno.ENOSYS;
}

public enum EpollOperation
{
    Add = 1,
    Delete = 2,
    Modify = 3,
}

[Flags]
public enum EpollEvents : uint
{
    None = 0,
    In = 0x001,
    Out = 0x004,
    Error = 0x008,
    HangUp = 0x010,
}

/// <summary>
/// <c>struct epoll_event</c> as x86-64 lays it out (packed, 12 bytes); <see cref="LinuxSyscalls"/> converts to the
/// naturally aligned 16-byte layout of the other 64-bit ABIs.
/// </summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
public struct EpollEvent
{
    public EpollEvents Events;
    public ulong Data;
}

[Flags]
public enum MemoryProtection
{
    None = 0,
    Read = 1,
    Write = 2,
}
