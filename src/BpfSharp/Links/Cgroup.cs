using System.Runtime.InteropServices;
using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>cgroup v2 directories as attach targets: cgroup programs attach to an fd of the directory.</summary>
public static class Cgroup
{
    /// <summary>Where cgroup v2 is usually mounted: the unified hierarchy of a hybrid layout, else the root.</summary>
    public static string DefaultRoot => Directory.Exists("/sys/fs/cgroup/unified") ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";

    /// <summary>
    /// Opens a cgroup v2 directory read-only (<c>O_RDONLY|O_DIRECTORY|O_CLOEXEC</c>) as an fd to attach programs to
    /// or query. Throws <see cref="BpfSyscallException"/> (syscall <c>open</c>) when the path cannot be opened.
    /// </summary>
    public static BpfFileDescriptor Open(string path, ISyscalls? syscalls = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        syscalls ??= LinuxSyscalls.Instance;
        int r = syscalls.Open(path, OpenFlags.ReadOnlyDirectory);
        if (r < 0)
            throw new BpfSyscallException("open", -r, -r switch
            {
                2 => "the cgroup directory does not exist (is cgroup v2 mounted there? create it with mkdir first).",
                20 => "the path is not a directory: a cgroup is opened by its directory.",
                13 => "permission denied on the cgroup directory.",
                _ => "see open(2).",
            }, $"opening cgroup '{path}'");
        return new BpfFileDescriptor(r, syscalls);
    }

    /// <summary>A second, independent fd of the same cgroup directory (opened again through <c>/proc/self/fd</c>).</summary>
    public static BpfFileDescriptor Reopen(BpfFileDescriptor cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        using FdLease lease = cgroup.Lease();
        return Open($"/proc/self/fd/{lease.Fd}", cgroup.Syscalls);
    }
}

/// <summary>The open(2) flags BpfSharp uses; O_DIRECTORY is 0x4000 on arm and arm64, 0x10000 on x86 and the asm-generic ABIs (riscv, loongarch).</summary>
static class OpenFlags
{
    const int O_RDONLY = 0;
    const int O_CLOEXEC = 0x80000;

    static int O_DIRECTORY => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 or Architecture.Arm => 0x4000,
        _ => 0x10000,
    };

    public static int ReadOnlyDirectory => O_RDONLY | O_DIRECTORY | O_CLOEXEC;

    public static int ReadOnly => O_RDONLY | O_CLOEXEC;
}
