using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp;

/// <summary>BTF loaded into the kernel (BPF_BTF_LOAD): maps and programs refer to its types by id through this fd.</summary>
public sealed class BtfHandle : IDisposable
{
    BtfHandle(BpfFileDescriptor fd) => Fd = fd;

    public BpfFileDescriptor Fd { get; }

    /// <summary>Loads a raw BTF blob. On rejection the kernel's BTF log is part of the exception message.</summary>
    public static unsafe BtfHandle Load(ReadOnlySpan<byte> blob, ISyscalls? syscalls = null)
    {
        syscalls ??= LinuxSyscalls.Instance;
        fixed (byte* p = blob)
        {
            var attr = new BtfLoadAttr { Btf = (ulong)p, BtfSize = (uint)blob.Length };
            int r = BpfSyscall.Invoke(syscalls, BpfCommand.BtfLoad, ref attr);
            if (r >= 0) return new BtfHandle(new BpfFileDescriptor(r, syscalls));
            // Retry with a log so the error says what the kernel disliked.
            byte[] log = new byte[64 * 1024];
            fixed (byte* l = log)
            {
                attr = new BtfLoadAttr { Btf = (ulong)p, BtfSize = (uint)blob.Length, BtfLogBuf = (ulong)l, BtfLogSize = (uint)log.Length, BtfLogLevel = 1 };
                int again = BpfSyscall.Invoke(syscalls, BpfCommand.BtfLoad, ref attr);
                if (again >= 0) return new BtfHandle(new BpfFileDescriptor(again, syscalls));
                int end = Array.IndexOf(log, (byte)0);
                string text = System.Text.Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd();
                throw new BpfSyscallException(BpfCommand.BtfLoad, -r, "loading BTF", text.Length > 0 ? "BTF log:\n" + text : null);
            }
        }
    }

    /// <summary>Opens a BTF object by its kernel id (BPF_BTF_GET_FD_BY_ID), e.g. the id a map or program reports.</summary>
    public static BtfHandle FromId(uint id, ISyscalls? syscalls = null) =>
        new(BpfSyscall.OpenById(syscalls ?? LinuxSyscalls.Instance, BpfCommand.BtfGetFdById, id));

    /// <summary>The ids of every BTF object in the kernel, vmlinux and modules included (BPF_BTF_GET_NEXT_ID).</summary>
    public static IReadOnlyList<uint> EnumerateIds(ISyscalls? syscalls = null) =>
        BpfSyscall.EnumerateIds(syscalls ?? LinuxSyscalls.Instance, BpfCommand.BtfGetNextId);

    /// <summary>The kernel's id of this BTF object.</summary>
    public uint Id
    {
        get
        {
            var info = new BpfBtfInfo();
            BpfSyscall.GetInfo(Fd, ref info);
            return info.Id;
        }
    }

    public void Dispose() => Fd.Dispose();
}
