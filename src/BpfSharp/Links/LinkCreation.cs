using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>
/// BPF_LINK_CREATE for the attach kinds whose attributes go beyond program, target and attach type (netfilter's
/// hook, cgroup ordering, a struct_ops map instead of a program), and the wrapping of the new fd as a <see cref="BpfLink"/>.
/// </summary>
static class LinkCreation
{
    /// <summary>
    /// Runs BPF_LINK_CREATE with <paramref name="attr"/> as given. On failure the exception carries
    /// <paramref name="explain"/>'s sentence for that errno (null: none) after the generic hint.
    /// </summary>
    public static BpfLink Create(ISyscalls syscalls, ref LinkCreateAttr attr, string description, Func<Errno, string?>? explain = null)
    {
        int r = BpfSyscall.Invoke(syscalls, BpfCommand.LinkCreate, ref attr);
        if (r < 0) throw new BpfSyscallException(BpfCommand.LinkCreate, -r, $"attaching {description}", explain?.Invoke((Errno)(-r)));
        return BpfLink.Wrap(new BpfFileDescriptor(r, syscalls), description);
    }

    /// <summary>Reads the raw link info (for the link types <see cref="LinkInfo"/> does not decode yet).</summary>
    public static BpfLinkInfo RawInfo(BpfLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var info = new BpfLinkInfo();
        BpfSyscall.GetInfo(link.Fd, ref info);
        return info;
    }
}
