using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>
/// An epoll instance: the fds it watches, each with a caller-chosen 64-bit token that <see cref="Wait"/> hands back.
/// Used by the ring buffer and perf buffer readers to sleep until the kernel has data.
/// </summary>
public sealed unsafe class EpollSet : IDisposable
{
    readonly BpfFileDescriptor fd;

    public EpollSet(ISyscalls? syscalls = null)
    {
        syscalls ??= LinuxSyscalls.Instance;
        int r = syscalls.EpollCreate();
        if (r < 0) throw new BpfSyscallException("epoll_create1", -r, "the process may have run out of file descriptors (ulimit -n).");
        fd = new BpfFileDescriptor(r, syscalls);
    }

    public ISyscalls Syscalls => fd.Syscalls;

    /// <summary>Watches <paramref name="target"/> for <paramref name="events"/>; <paramref name="token"/> identifies it in <see cref="Wait"/>.</summary>
    public void Add(BpfFileDescriptor target, ulong token, EpollEvents events = EpollEvents.In)
    {
        ArgumentNullException.ThrowIfNull(target);
        using FdLease t = target.Lease();
        Control(EpollOperation.Add, t.Fd, token, events);
    }

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    public void Remove(BpfFileDescriptor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using FdLease t = target.Lease();
        Control(EpollOperation.Delete, t.Fd, 0, EpollEvents.None);
    }

    void Control(EpollOperation operation, int target, ulong token, EpollEvents events)
    {
        using FdLease e = fd.Lease();
        var ev = new EpollEvent { Events = events, Data = token };
        int r = fd.Syscalls.EpollCtl(e.Fd, operation, target, &ev);
        if (r < 0) throw new BpfSyscallException("epoll_ctl", -r, "the fd is already watched (EEXIST), not watched (ENOENT) or was closed (EBADF).", $"{operation} fd {target}");
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> (-1: forever, 0: poll) for watched fds to become ready and
    /// fills <paramref name="ready"/>. Returns how many are ready; 0 on timeout or when a signal interrupted the wait.
    /// </summary>
    public int Wait(Span<EpollEvent> ready, int timeoutMilliseconds)
    {
        if (ready.IsEmpty) throw new ArgumentException("need room for at least one event", nameof(ready));
        using FdLease e = fd.Lease();
        fixed (EpollEvent* p = ready)
        {
            int r = fd.Syscalls.EpollWait(e.Fd, p, ready.Length, timeoutMilliseconds);
            if (r == -(int)Errno.EINTR) return 0;
            if (r < 0) throw new BpfSyscallException("epoll_wait", -r, "the epoll fd was closed while waiting.");
            return r;
        }
    }

    public void Dispose() => fd.Dispose();
}
