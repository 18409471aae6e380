using BpfSharp.Abi;

namespace BpfSharp.Interop;

/// <summary>Typed entry to bpf(2): each command's attribute struct (generated in <c>BpfSharp.Abi</c>) in, result or exception out.</summary>
public static unsafe class BpfSyscall
{
    const int EINTR = 4, EAGAIN = 11;

    /// <summary>Runs a command; returns the kernel's result or -errno. Retries EINTR (and EAGAIN for program loads, as the kernel asks).</summary>
    public static int Invoke<TAttr>(ISyscalls syscalls, BpfCommand command, ref TAttr attr) where TAttr : unmanaged
    {
        fixed (TAttr* p = &attr)
        {
            for (int attempt = 0; ; attempt++)
            {
                int r = syscalls.Bpf(command, p, (uint)sizeof(TAttr));
                if (r == -EINTR || (r == -EAGAIN && command == BpfCommand.ProgLoad && attempt < 5)) continue;
                return r;
            }
        }
    }

    /// <summary>Runs a command and throws <see cref="BpfSyscallException"/> on failure.</summary>
    public static int InvokeChecked<TAttr>(ISyscalls syscalls, BpfCommand command, ref TAttr attr, string? context = null)
        where TAttr : unmanaged
    {
        int r = Invoke(syscalls, command, ref attr);
        return r >= 0 ? r : throw new BpfSyscallException(command, -r, context);
    }

    /// <summary>Runs a command that returns a new fd and wraps it; throws on failure.</summary>
    public static BpfFileDescriptor InvokeForFd<TAttr>(ISyscalls syscalls, BpfCommand command, ref TAttr attr, string? context = null)
        where TAttr : unmanaged
        => new(InvokeChecked(syscalls, command, ref attr, context), syscalls);

    /// <summary>Copies a name into a kernel <c>char[16]</c> field, truncated to 15 bytes and NUL-terminated.</summary>
    public static void WriteObjectName(byte* destination, string? name)
    {
        new Span<byte>(destination, BpfConstants.ObjNameLen).Clear();
        if (string.IsNullOrEmpty(name)) return;
        int written = System.Text.Encoding.ASCII.GetBytes(name.AsSpan(0, Math.Min(name.Length, BpfConstants.ObjNameLen - 1)),
            new Span<byte>(destination, BpfConstants.ObjNameLen - 1));
        destination[written] = 0;
    }

    /// <summary>Reads a NUL-terminated name from a kernel <c>char[N]</c> field.</summary>
    public static string ReadObjectName(byte* source, int capacity = BpfConstants.ObjNameLen)
    {
        var span = new ReadOnlySpan<byte>(source, capacity);
        int end = span.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }

    /// <summary>Pins an object's fd at a bpffs path (BPF_OBJ_PIN).</summary>
    public static void Pin(BpfFileDescriptor fd, string path)
    {
        using FdLease lease = fd.Lease();
        fixed (byte* p = NullTerminated(path))
        {
            var attr = new ObjPinAttr { Pathname = (ulong)p, BpfFd = lease.UFd };
            InvokeChecked(fd.Syscalls, BpfCommand.ObjPin, ref attr, $"pinning at '{path}'");
        }
    }

    /// <summary>Opens a pinned object (BPF_OBJ_GET).</summary>
    public static BpfFileDescriptor OpenPinned(ISyscalls syscalls, string path, bool readOnly = false)
    {
        fixed (byte* p = NullTerminated(path))
        {
            var attr = new ObjPinAttr { Pathname = (ulong)p, FileFlags = readOnly ? (uint)MapCreateFlags.Rdonly : 0 };
            return InvokeForFd(syscalls, BpfCommand.ObjGet, ref attr, $"opening pinned object '{path}'");
        }
    }

    /// <summary>Reads an object's info struct (BPF_OBJ_GET_INFO_BY_FD) into <paramref name="info"/>.</summary>
    public static void GetInfo<TInfo>(BpfFileDescriptor fd, ref TInfo info) where TInfo : unmanaged
    {
        using FdLease lease = fd.Lease();
        fixed (TInfo* p = &info)
        {
            var attr = new ObjGetInfoAttr { BpfFd = lease.UFd, InfoLen = (uint)sizeof(TInfo), Info = (ulong)p };
            InvokeChecked(fd.Syscalls, BpfCommand.ObjGetInfoByFd, ref attr);
        }
    }

    /// <summary>The ids of all kernel objects of one kind, via the *_GET_NEXT_ID command.</summary>
    public static List<uint> EnumerateIds(ISyscalls syscalls, BpfCommand getNextIdCommand)
    {
        var ids = new List<uint>();
        var attr = new GetIdAttr();
        while (true)
        {
            int r = Invoke(syscalls, getNextIdCommand, ref attr);
            if (r == -(int)Errno.ENOENT) return ids;
            if (r < 0) throw new BpfSyscallException(getNextIdCommand, -r);
            ids.Add(attr.NextId);
            attr.StartId = attr.NextId;
        }
    }

    /// <summary>Opens an object by id via *_GET_FD_BY_ID.</summary>
    public static BpfFileDescriptor OpenById(ISyscalls syscalls, BpfCommand getFdByIdCommand, uint id)
    {
        var attr = new GetIdAttr { StartId = id };
        return InvokeForFd(syscalls, getFdByIdCommand, ref attr, $"id {id}");
    }

    internal static byte[] NullTerminated(string s)
    {
        byte[] bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
