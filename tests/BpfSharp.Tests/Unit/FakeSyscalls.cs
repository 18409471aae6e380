using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Tests.Unit;

/// <summary>A scripted kernel: each bpf(2) call is recorded and answered by <see cref="Handler"/>.</summary>
sealed unsafe class FakeSyscalls : ISyscalls
{
    public delegate int BpfHandler(BpfCommand command, void* attr, uint size);

    public BpfHandler Handler { get; set; } = (_, _, _) => -(int)Errno.ENOSYS;
    public List<BpfCommand> Commands { get; } = [];
    public List<int> Closed { get; } = [];

    public int Bpf(BpfCommand command, void* attr, uint size)
    {
        Commands.Add(command);
        return Handler(command, attr, size);
    }

    public int Close(int fd)
    {
        Closed.Add(fd);
        return 0;
    }

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset) => -(int)Errno.ENODEV;

    public int Munmap(void* address, nuint length) => 0;

    public int Open(string path, int flags) => -(int)Errno.ENOENT;
}
