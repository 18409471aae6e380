using System.Runtime.InteropServices;
using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>The real kernel, through libc: <c>syscall</c> (bpf, perf_event_open), <c>open</c>, <c>close</c>, <c>read</c>, <c>ioctl</c>, <c>mmap</c>, <c>munmap</c> and epoll.</summary>
public sealed unsafe partial class LinuxSyscalls : ISyscalls
{
    public static LinuxSyscalls Instance { get; } = new();

    const int MapShared = 0x01;

    static readonly long BpfSyscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        Architecture.X86 => 357,
        Architecture.Arm => 386,
        Architecture.RiscV64 => 280,
        Architecture.LoongArch64 => 280,
        var other => throw new PlatformNotSupportedException($"BpfSharp does not know the bpf(2) syscall number on {other}."),
    };

    LinuxSyscalls() { }

    public int Bpf(BpfCommand command, void* attr, uint size)
    {
        long r = syscall(BpfSyscallNumber, (long)command, (nint)attr, size);
        return r < 0 ? -Marshal.GetLastPInvokeError() : (int)r;
    }

    public int Close(int fd) => close(fd) < 0 ? -Marshal.GetLastPInvokeError() : 0;

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset)
    {
        nint r = mmap(address, length, (int)protection, flags == 0 ? MapShared : flags, fd, offset);
        return r == -1 ? -Marshal.GetLastPInvokeError() : r;
    }

    public int Munmap(void* address, nuint length) => munmap(address, length) < 0 ? -Marshal.GetLastPInvokeError() : 0;

    public int Open(string path, int flags)
    {
        ArgumentNullException.ThrowIfNull(path);
        int r = open(path, flags);
        return r < 0 ? -Marshal.GetLastPInvokeError() : r;
    }

    static readonly long PerfEventOpenNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 298,
        Architecture.X86 => 336,
        Architecture.Arm => 364,
        _ => 241, // the generic syscall table: arm64, riscv64, loongarch64
    };

    public int PerfEventOpen(PerfEventAttr* attr, int pid, int cpu, int groupFd, ulong flags)
    {
        long r = syscall5(PerfEventOpenNumber, (nint)attr, pid, cpu, groupFd, (long)flags);
        return r < 0 ? -Marshal.GetLastPInvokeError() : (int)r;
    }

    public int Ioctl(int fd, ulong request, nint argument)
    {
        int r = ioctl(fd, (nuint)request, argument);
        return r < 0 ? -Marshal.GetLastPInvokeError() : r;
    }

    public long Read(int fd, void* buffer, nuint count)
    {
        nint r = read(fd, buffer, count);
        return r < 0 ? -Marshal.GetLastPInvokeError() : r;
    }

    const int EpollCloexec = 0x80000;

    public int EpollCreate()
    {
        int r = epoll_create1(EpollCloexec);
        return r < 0 ? -Marshal.GetLastPInvokeError() : r;
    }

    static bool PackedEpollEvent => RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public int EpollCtl(int epollFd, EpollOperation operation, int fd, EpollEvent* e)
    {
        int r;
        if (PackedEpollEvent || e == null) r = epoll_ctl(epollFd, (int)operation, fd, e);
        else
        {
            var aligned = new AlignedEpollEvent { Events = e->Events, Data = e->Data };
            r = epoll_ctl(epollFd, (int)operation, fd, &aligned);
        }
        return r < 0 ? -Marshal.GetLastPInvokeError() : 0;
    }

    public int EpollWait(int epollFd, EpollEvent* events, int maxEvents, int timeoutMilliseconds)
    {
        if (PackedEpollEvent)
        {
            int n = epoll_wait(epollFd, events, maxEvents, timeoutMilliseconds);
            return n < 0 ? -Marshal.GetLastPInvokeError() : n;
        }
        int count = Math.Min(maxEvents, 64);
        AlignedEpollEvent* aligned = stackalloc AlignedEpollEvent[count];
        int r = epoll_wait(epollFd, aligned, count, timeoutMilliseconds);
        if (r < 0) return -Marshal.GetLastPInvokeError();
        for (int i = 0; i < r; i++) events[i] = new EpollEvent { Events = aligned[i].Events, Data = aligned[i].Data };
        return r;
    }

    struct AlignedEpollEvent
    {
        public EpollEvents Events;
        public ulong Data;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall5(long number, nint arg1, long arg2, long arg3, long arg4, long arg5);

    // ioctl(2) is variadic in its third argument; one integer/pointer travels like a fixed argument on 64-bit ABIs.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, nint argument);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, void* e);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, void* events, int maxEvents, int timeout);

    // syscall(2) is variadic; on the 64-bit Linux ABIs integer varargs travel exactly like fixed arguments.
    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long arg1, nint arg2, long arg3);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* addr, nuint length);

    // open(2) is variadic only for the mode argument, which is never passed here (no O_CREAT/O_TMPFILE).
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
