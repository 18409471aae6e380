using System.Runtime.InteropServices;

namespace BpfSharp.Interop;

/// <summary>
/// The inode number of an open file, by statx(2) on the fd (whose layout, unlike stat's, is the same on every
/// architecture). Used to tell network namespaces apart: a namespace file's inode is the namespace's id.
/// </summary>
static unsafe partial class FileIdentity
{
    const int AT_EMPTY_PATH = 0x1000;
    const uint STATX_INO = 0x100;
    const int StatxSize = 256, InodeOffset = 32;

    /// <summary>The inode of <paramref name="fd"/>'s file; throws <see cref="BpfSyscallException"/> (syscall <c>statx</c>) on failure.</summary>
    public static ulong Inode(BpfFileDescriptor fd)
    {
        using FdLease lease = fd.Lease();
        byte* buffer = stackalloc byte[StatxSize];
        byte empty = 0;
        if (Statx(lease.Fd, &empty, AT_EMPTY_PATH, STATX_INO, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new BpfSyscallException("statx", errno, "see statx(2).", $"reading the inode of fd {lease.Fd}");
        }
        return *(ulong*)(buffer + InodeOffset);
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* buffer);
}
