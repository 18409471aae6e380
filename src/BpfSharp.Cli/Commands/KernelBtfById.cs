using System.Text;
using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Interop;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The BTF the kernel holds under an id (a map's or program's <c>btf_id</c>), read back with BPF_BTF_GET_FD_BY_ID and
/// BPF_OBJ_GET_INFO_BY_FD and parsed; a kernel module's split BTF is parsed on top of vmlinux. Each id is read once.
/// </summary>
sealed class KernelBtfById
{
    readonly Dictionary<uint, BtfSpec?> known = [];

    /// <summary>The parsed BTF, or null for id 0 or BTF that cannot be read or parsed (the caller then shows hex).</summary>
    public BtfSpec? Get(uint id)
    {
        if (id == 0) return null;
        if (!known.TryGetValue(id, out BtfSpec? spec)) known[id] = spec = Read(id);
        return spec;
    }

    static unsafe BtfSpec? Read(uint id)
    {
        try
        {
            using BtfHandle handle = BtfHandle.FromId(id);
            var first = new BpfBtfInfo();
            BpfSyscall.GetInfo(handle.Fd, ref first);
            byte[] blob = new byte[first.BtfSize];
            byte[] name = new byte[64];
            var second = new BpfBtfInfo();
            fixed (byte* b = blob)
            fixed (byte* n = name)
            {
                second.Btf = (ulong)b;
                second.BtfSize = (uint)blob.Length;
                second.Name = (ulong)n;
                second.NameLen = (uint)name.Length;
                BpfSyscall.GetInfo(handle.Fd, ref second);
            }
            string moduleName = Encoding.ASCII.GetString(name, 0, Math.Max(0, Array.IndexOf(name, (byte)0)));
            bool split = second.KernelBtf != 0 && moduleName is not ("vmlinux" or "");
            try
            {
                return split ? BtfSpec.Parse(blob, KernelBtf.Vmlinux) : BtfSpec.Parse(blob);
            }
            catch (BtfFormatException) when (!split && KernelBtf.IsAvailable)
            {
                return BtfSpec.Parse(blob, KernelBtf.Vmlinux); // BTF loaded from user space on top of vmlinux
            }
        }
        catch (Exception e) when (e is BpfSyscallException or BtfFormatException)
        {
            return null;
        }
    }
}
