using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>
/// The blocking half of the ring buffer, user ring buffer and perf buffer types: an epoll set over the fds the kernel
/// signals (ring buffer maps, perf events) plus an eventfd, so a wait ends when the kernel signals a ring, when the
/// timeout passes, at once when the caller's token is cancelled, and at once when the owner is disposed on another
/// thread.
/// </summary>
sealed class RingWaiter : IDisposable
{
    const ulong WakeToken = ulong.MaxValue;

    readonly EpollSet epoll;
    readonly EventFd wake;
    volatile bool closed;

    public RingWaiter(ISyscalls syscalls)
    {
        epoll = new EpollSet(syscalls);
        try
        {
            wake = EventFd.Create();
            epoll.Add(wake.Fd, WakeToken);
        }
        catch
        {
            wake?.Dispose();
            epoll.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A waiter watching <paramref name="mapFd"/> alone (token 0). Throws <see cref="ObjectDisposedException"/> naming
    /// <paramref name="owner"/> when the fd was already closed.
    /// </summary>
    public static RingWaiter ForMap(BpfFileDescriptor mapFd, EpollEvents events, string owner)
    {
        var waiter = new RingWaiter(mapFd.Syscalls);
        try
        {
            waiter.Watch(mapFd, 0, events);
            return waiter;
        }
        catch (ObjectDisposedException)
        {
            waiter.Dispose();
            throw new ObjectDisposedException(owner, "the map's fd was closed: keep the BpfMap (or BpfObject) open while waiting on its ring buffer.");
        }
        catch
        {
            waiter.Dispose();
            throw;
        }
    }

    /// <summary>Watches a map fd; <paramref name="token"/> must not be <see cref="ulong.MaxValue"/> (the wake event's).</summary>
    public void Watch(BpfFileDescriptor fd, ulong token, EpollEvents events) => epoll.Add(fd, token, events);

    /// <summary>
    /// Waits until a watched fd is ready (true) or <paramref name="timeout"/> passes (false; -1 ms waits forever).
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellation"/> fires and
    /// <see cref="ObjectDisposedException"/> (naming <paramref name="owner"/>) once <see cref="Close"/> was called.
    /// </summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellation, string owner) =>
        Wait(stackalloc EpollEvent[8], timeout, cancellation, owner) > 0;

    /// <summary>
    /// <see cref="Wait(TimeSpan, CancellationToken, string)"/> that also tells which fds are ready: their events are
    /// put at the start of <paramref name="ready"/> (room for every watched fd plus one) and counted in the result,
    /// 0 when the timeout passed.
    /// </summary>
    public int Wait(Span<EpollEvent> ready, TimeSpan timeout, CancellationToken cancellation, string owner)
    {
        long ms = Milliseconds(timeout);
        long deadline = ms < 0 ? long.MaxValue : Environment.TickCount64 + ms;
        CancellationTokenRegistration registration = cancellation.CanBeCanceled
            ? cancellation.UnsafeRegister(static state => ((EventFd)state!).Signal(), wake)
            : default;
        ObjectDisposedException.ThrowIf(closed, owner);
        // Holding the eventfd open for the whole wait: closing it (Dispose on another thread) would take it out of
        // the epoll set together with a signal not yet collected, and the wait would sleep on.
        using FdLease wakeLease = wake.Fd.Lease();
        try
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(closed, owner);
                int slice = ms < 0 ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
                int n = epoll.Wait(ready, slice);
                int signalled = 0;
                bool woken = false;
                for (int i = 0; i < n; i++)
                {
                    if (ready[i].Data == WakeToken) woken = true;
                    else ready[signalled++] = ready[i];
                }
                if (signalled > 0) return signalled;
                // A wake with neither cancellation nor close pending is left over from an earlier, already finished
                // wait whose token fired late: clear it and wait on.
                if (woken && !closed && !cancellation.IsCancellationRequested) wake.Reset();
                // epoll_wait reports a signal as 0 ready fds: only the clock decides that the timeout has passed.
                if (!woken && slice >= 0 && Environment.TickCount64 >= deadline) return 0;
            }
        }
        finally
        {
            registration.Dispose();
        }
    }

    /// <summary>Wakes every current and future <see cref="Wait"/> with <see cref="ObjectDisposedException"/>. Any thread.</summary>
    public void Close()
    {
        closed = true;
        wake.Signal();
    }

    public void Dispose()
    {
        Close();
        epoll.Dispose();
        wake.Dispose();
    }

    /// <summary>Whole milliseconds, rounded up so a short timeout still waits; -1 for <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static long Milliseconds(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return -1;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        return (timeout.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
    }
}
