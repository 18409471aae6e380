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
}

[Flags]
public enum MemoryProtection
{
    None = 0,
    Read = 1,
    Write = 2,
}
