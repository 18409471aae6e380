using System.Runtime.InteropServices;
using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>
/// An eventfd(2) counter, non-blocking. The ring buffer wait loops watch one next to their map fds, so another thread
/// can wake a blocked epoll_wait at once (cancellation, dispose) instead of the waiter polling a flag.
/// Always the real kernel: the fd is closed through <see cref="LinuxSyscalls"/>.
/// </summary>
sealed unsafe partial class EventFd : IDisposable
{
    const int EfdCloexec = 0x80000, EfdNonblock = 0x800;

    EventFd(BpfFileDescriptor fd) => Fd = fd;

    public BpfFileDescriptor Fd { get; }

    public static EventFd Create()
    {
        int fd = eventfd(0, EfdCloexec | EfdNonblock);
        if (fd < 0)
            throw new BpfSyscallException("eventfd", Marshal.GetLastPInvokeError(), "the process may have run out of file descriptors (ulimit -n).");
        return new EventFd(new BpfFileDescriptor(fd, LinuxSyscalls.Instance));
    }

    /// <summary>Makes the fd readable (adds 1 to the counter). Safe from any thread; does nothing once disposed.</summary>
    public void Signal()
    {
        bool added = false;
        try
        {
            Fd.DangerousAddRef(ref added);
            ulong one = 1;
            // EAGAIN only when the counter is about to overflow: it is readable already, which is all a signal means.
            _ = write((int)Fd.DangerousGetHandle(), &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) Fd.DangerousRelease();
        }
    }

    /// <summary>Clears the counter so the fd is no longer readable.</summary>
    public void Reset()
    {
        using FdLease lease = Fd.Lease();
        ulong value;
        long r = Fd.Syscalls.Read(lease.Fd, &value, sizeof(ulong));
        if (r < 0 && r != -(int)Errno.EAGAIN)
            throw new BpfSyscallException("read", (int)-r, "reading an eventfd fails only when it was closed.", "eventfd");
    }

    public void Dispose() => Fd.Dispose();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initialValue, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, void* buffer, nuint count);
}
