using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Tests.Features;

/// <summary>Passes every call to <paramref name="inner"/> and counts the bpf(2) calls, per command.</summary>
sealed unsafe class CountingSyscalls(ISyscalls inner) : ISyscalls
{
    int bpfCalls;
    readonly System.Collections.Concurrent.ConcurrentDictionary<BpfCommand, int> byCommand = new();

    public int BpfCalls => Volatile.Read(ref bpfCalls);

    public int CallsOf(BpfCommand command) => byCommand.TryGetValue(command, out int n) ? n : 0;

    public int Bpf(BpfCommand command, void* attr, uint size)
    {
        Interlocked.Increment(ref bpfCalls);
        byCommand.AddOrUpdate(command, 1, (_, n) => n + 1);
        return inner.Bpf(command, attr, size);
    }

    public int Close(int fd) => inner.Close(fd);

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset) =>
        inner.Mmap(address, length, protection, flags, fd, offset);

    public int Munmap(void* address, nuint length) => inner.Munmap(address, length);
}

/// <summary>A kernel that answers every bpf(2) call with one fixed result (an fd when non-negative, else -errno).</summary>
sealed unsafe class FixedResultSyscalls(int result) : ISyscalls
{
    int bpfCalls;

    public int BpfCalls => Volatile.Read(ref bpfCalls);

    public int Bpf(BpfCommand command, void* attr, uint size)
    {
        Interlocked.Increment(ref bpfCalls);
        return result;
    }

    public int Close(int fd) => 0;

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset) => -(int)Errno.ENOSYS;

    public int Munmap(void* address, nuint length) => 0;
}
