using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>
/// BPF_LINK_CREATE for the attach kinds whose attributes go beyond program, target and attach type (netfilter's
/// hook, cgroup ordering, a struct_ops map instead of a program), the wrapping of the new fd as a <see cref="BpfLink"/>,
/// and the typed reading of a link's info for the per-kind accessors.
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

    /// <summary>The link's info, checked to be of <paramref name="type"/> (<paramref name="kind"/> names it for the message).</summary>
    public static LinkInfo InfoOfType(BpfLink link, BpfLinkType type, string kind)
    {
        ArgumentNullException.ThrowIfNull(link);
        LinkInfo info = link.GetInfo();
        if (info.Type != type) throw new ArgumentException($"{link} is a {info.Type} link, not {kind}.", nameof(link));
        return info;
    }
}
