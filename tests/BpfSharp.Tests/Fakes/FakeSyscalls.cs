using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Tests.Fakes;

/// <summary>A scripted kernel: each bpf(2) call is recorded and answered by <see cref="Handler"/>.</summary>
sealed unsafe class FakeSyscalls : ISyscalls
{
    public delegate int BpfHandler(BpfCommand command, void* attr, uint size);

    readonly List<BpfCommand> commands = [];

    public BpfHandler Handler { get; set; } = (_, _, _) => -(int)Errno.ENOSYS;
    public Func<string, int, int> OpenHandler { get; set; } = (_, _) => -(int)Errno.ENOENT;
    public List<int> Closed { get; } = [];

    /// <summary>A kernel that answers every bpf(2) call with <paramref name="result"/> (an fd when non-negative, else -errno).</summary>
    public static FakeSyscalls Returning(int result) => new() { Handler = (_, _, _) => result };

    public IReadOnlyList<BpfCommand> Commands { get { lock (commands) return [.. commands]; } }

    public int BpfCalls { get { lock (commands) return commands.Count; } }

    public int Bpf(BpfCommand command, void* attr, uint size)
    {
        lock (commands) commands.Add(command);
        return Handler(command, attr, size);
    }

    public int Close(int fd)
    {
        lock (Closed) Closed.Add(fd);
        return 0;
    }

    public long Mmap(void* address, nuint length, MemoryProtection protection, int flags, int fd, long offset) => -(int)Errno.ENODEV;

    public int Munmap(void* address, nuint length) => 0;

    public int Open(string path, int flags) => OpenHandler(path, flags);
}

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

    public int Open(string path, int flags) => inner.Open(path, flags);
}
