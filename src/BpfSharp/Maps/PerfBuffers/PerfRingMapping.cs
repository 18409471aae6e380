using System.Runtime.InteropServices;
using BpfSharp.Interop;

namespace BpfSharp.Maps.PerfBuffers;

/// <summary>The shared read-write mapping of one perf event's ring (header page + data pages), unmapped exactly once.</summary>
sealed unsafe class PerfRingMapping : SafeHandle
{
    readonly ISyscalls syscalls;

    PerfRingMapping(ISyscalls syscalls, nint address, nuint length) : base(0, ownsHandle: true)
    {
        this.syscalls = syscalls;
        Length = length;
        SetHandle(address);
    }

    public nuint Length { get; }

    public byte* Address => (byte*)handle;

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Maps <paramref name="length"/> bytes of the event. Read-write matters: a read-only mapping puts the kernel's ring
    /// in overwrite mode, where it neither respects the reader's tail nor reports lost samples.
    /// </summary>
    public static PerfRingMapping Map(BpfFileDescriptor perfEvent, nuint length, int cpu)
    {
        using FdLease lease = perfEvent.Lease();
        long r = perfEvent.Syscalls.Mmap(null, length, MemoryProtection.Read | MemoryProtection.Write, 0, lease.Fd, 0);
        if (r < 0)
            throw new BpfSyscallException("mmap", (int)-r,
                "the pages per CPU must be a power of two (EINVAL); beyond kernel.perf_event_mlock_kb per user a process needs CAP_IPC_LOCK " +
                "or a higher 'ulimit -l' (EPERM); or memory ran out (ENOMEM). Try fewer PagesPerCpu.",
                $"perf buffer ring of CPU {cpu}, {length} bytes");
        return new PerfRingMapping(perfEvent.Syscalls, (nint)r, length);
    }

    protected override bool ReleaseHandle() => syscalls.Munmap((void*)handle, Length) == 0;
}
