using System.Runtime.InteropServices;
using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>The real kernel, through libc's <c>syscall</c>, <c>open</c>, <c>close</c>, <c>mmap</c> and <c>munmap</c>.</summary>
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
