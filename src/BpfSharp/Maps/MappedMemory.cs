using BpfSharp.Interop;

namespace BpfSharp.Maps;

/// <summary>A shared mapping of a map's memory (mmap of the map fd), unmapped on dispose.</summary>
sealed unsafe class MappedMemory : IDisposable
{
    readonly ISyscalls syscalls;
    readonly nuint length;
    void* address;

    MappedMemory(ISyscalls syscalls, void* address, nuint length)
    {
        this.syscalls = syscalls;
        this.address = address;
        this.length = length;
    }

    public void* Address => address != null ? address : throw new ObjectDisposedException(nameof(MappedMemory));

    public static MappedMemory Map(BpfFileDescriptor fd, nuint length, MemoryProtection protection, long offset = 0)
    {
        nuint page = (nuint)Environment.SystemPageSize;
        length = (length + page - 1) / page * page;
        using FdLease lease = fd.Lease();
        long r = fd.Syscalls.Mmap(null, length, protection, 0, lease.Fd, offset);
        if (r < 0)
            throw new BpfSyscallException("mmap", (int)-r,
                "mmap needs a map created with BPF_F_MMAPABLE (arrays) or a ring buffer/arena; a frozen or read-only map can only be mapped read-only.",
                $"{length} bytes, {protection}");
        return new MappedMemory(fd.Syscalls, (void*)r, length);
    }

    public void Dispose()
    {
        if (address == null) return;
        syscalls.Munmap(address, length);
        address = null;
    }
}
