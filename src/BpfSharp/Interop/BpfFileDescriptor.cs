using System.Runtime.InteropServices;

namespace BpfSharp.Interop;

/// <summary>A file descriptor of a kernel BPF object (map, program, link, BTF), closed exactly once when released.</summary>
public sealed class BpfFileDescriptor : SafeHandle
{
    readonly ISyscalls syscalls;

    public BpfFileDescriptor(int fd, ISyscalls syscalls) : base(-1, ownsHandle: true)
    {
        this.syscalls = syscalls;
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The system-call seam this fd belongs to.</summary>
    public ISyscalls Syscalls => syscalls;

    /// <summary>
    /// Borrows the raw fd for the duration of a system call: the fd cannot be closed by another thread until the
    /// lease is disposed. Throws <see cref="ObjectDisposedException"/> when the object was disposed.
    /// </summary>
    public FdLease Lease() => new(this);

    /// <summary>The raw fd without a lease. Only for diagnostics and for handing to APIs that dup it right away.</summary>
    public int RawValue => (int)handle;

    protected override bool ReleaseHandle() => syscalls.Close((int)handle) == 0;
}

/// <summary>A borrowed raw fd (see <see cref="BpfFileDescriptor.Lease"/>); dispose it right after the call.</summary>
public readonly ref struct FdLease
{
    readonly SafeHandle owner;

    internal FdLease(SafeHandle owner)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        this.owner = owner;
        Fd = (int)owner.DangerousGetHandle();
    }

    public int Fd { get; }

    public uint UFd => (uint)Fd;

    public void Dispose() => owner?.DangerousRelease();
}
