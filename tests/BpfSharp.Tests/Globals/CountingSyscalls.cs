using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Tests.Globals;

/// <summary>The real kernel, with a count of bpf(2) calls: proves an access made none.</summary>
sealed unsafe class CountingSyscalls : ISyscalls
{
    int bpfCalls;

    public int BpfCalls => Volatile.Read(ref bpfCalls);

    public int Bpf(BpfCommand command, void* attr, uint size)
    {
        Interlocked.Increment(ref bpfCalls);
        return LinuxSyscalls.Instance.Bpf(command, attr, size);
    }

    public int Close(int fd) => LinuxSyscalls.Instance.Close(fd);

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset) =>
        LinuxSyscalls.Instance.Mmap(address, length, protection, flags, fd, offset);

    public int Munmap(void* address, nuint length) => LinuxSyscalls.Instance.Munmap(address, length);

    public int Open(string path, int flags) => LinuxSyscalls.Instance.Open(path, flags);
}
