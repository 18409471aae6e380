using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>
/// perf_event_open(2) and the ioctls BPF uses on a perf event fd: enable, disable, attach a program the legacy way.
/// The fd is a <see cref="BpfFileDescriptor"/> so links, readers and epoll can hold it like any other.
/// </summary>
public static unsafe class PerfEventFile
{
    /// <summary>Close the fd on exec (PERF_FLAG_FD_CLOEXEC).</summary>
    const ulong FdCloexec = 8;

    // _IO('$', 0), _IO('$', 1), _IOW('$', 8, __u32) in the generic ioctl encoding (x86, arm64, riscv, loongarch).
    const ulong IocEnable = 0x2400;
    const ulong IocDisable = 0x2401;
    const ulong IocSetBpf = 0x40042408;

    /// <summary>
    /// Opens a perf event. <paramref name="pid"/> -1 with a <paramref name="cpu"/> ≥ 0 watches every process on that
    /// CPU; a pid ≥ 0 with cpu -1 watches that process on any CPU. <c>attr.Size</c> is filled in when 0.
    /// </summary>
    public static BpfFileDescriptor Open(ref PerfEventAttr attr, int pid, int cpu, string what, ISyscalls? syscalls = null, int groupFd = -1)
    {
        syscalls ??= LinuxSyscalls.Instance;
        if (attr.Size == 0) attr.Size = (uint)sizeof(PerfEventAttr);
        fixed (PerfEventAttr* a = &attr)
        {
            int r = syscalls.PerfEventOpen(a, pid, cpu, groupFd, FdCloexec);
            if (r < 0) throw new BpfSyscallException("perf_event_open", -r, Hint(-r), what);
            return new BpfFileDescriptor(r, syscalls);
        }
    }

    static string Hint(int errno) => (Errno)errno switch
    {
        Errno.ENOENT => "this kernel has no such event (a tracepoint, kprobe or uprobe target that does not exist, or a PMU it lacks).",
        Errno.EACCES or Errno.EPERM => "needs CAP_PERFMON (or root), or kernel.perf_event_paranoid forbids it.",
        Errno.EINVAL => "the kernel refused a field of perf_event_attr (an offset outside the file, an unknown type or config, a bad CPU).",
        Errno.ENODEV => "no such CPU, or the PMU does not support this event here (no hardware counters in a VM).",
        Errno.EOPNOTSUPP => "this kernel or PMU does not support the requested feature (e.g. sampling on this event).",
        Errno.EMFILE => "the process ran out of file descriptors (ulimit -n).",
        _ => "see perf_event_open(2).",
    };

    public static void Enable(BpfFileDescriptor perfEvent) => Ioctl(perfEvent, IocEnable, 0, "PERF_EVENT_IOC_ENABLE");

    public static void Disable(BpfFileDescriptor perfEvent) => Ioctl(perfEvent, IocDisable, 0, "PERF_EVENT_IOC_DISABLE");

    /// <summary>Attaches a program to the event the pre-5.15 way (PERF_EVENT_IOC_SET_BPF); it stays until the event fd closes.</summary>
    public static void SetBpf(BpfFileDescriptor perfEvent, BpfFileDescriptor program)
    {
        ArgumentNullException.ThrowIfNull(program);
        using FdLease p = program.Lease();
        Ioctl(perfEvent, IocSetBpf, p.Fd, "PERF_EVENT_IOC_SET_BPF");
    }

    static void Ioctl(BpfFileDescriptor perfEvent, ulong request, nint argument, string name)
    {
        ArgumentNullException.ThrowIfNull(perfEvent);
        using FdLease e = perfEvent.Lease();
        int r = perfEvent.Syscalls.Ioctl(e.Fd, request, argument);
        if (r < 0) throw new BpfSyscallException(name, -r, "the fd is not a perf event, or the program's type does not match the event (EINVAL/EEXIST: one program per event).");
    }
}
