namespace BpfSharp.Interop.Netlink;

/// <summary>
/// The kernel refused an rtnetlink request (XDP by netlink, clsact qdiscs, cls_bpf filters). Besides the errno it
/// carries the kernel's own explanation from the extended ack (<c>NLMSGERR_ATTR_MSG</c>), e.g. "Exclusivity flag on,
/// cannot modify", which is usually the most precise description of what is wrong.
/// </summary>
public sealed class NetlinkException : BpfSyscallException
{
    internal NetlinkException(string request, int errno, string hint, string? context, string? kernelMessage, int? attributeOffset)
        : base(request, errno, Combine(kernelMessage, attributeOffset, hint), context)
    {
        Request = request;
        KernelMessage = kernelMessage;
        AttributeOffset = attributeOffset;
    }

    /// <summary>The request's message type, e.g. <c>RTM_NEWTFILTER</c>.</summary>
    public string Request { get; }

    /// <summary>The kernel's extended-ack message, when it gave one.</summary>
    public string? KernelMessage { get; }

    /// <summary>The byte offset in the request of the attribute the kernel rejected, when it said.</summary>
    public int? AttributeOffset { get; }

    static string Combine(string? kernelMessage, int? offset, string hint)
    {
        string at = offset is { } o ? $" (attribute at byte {o} of the request)" : "";
        if (kernelMessage is null) return hint;
        string sentence = hint.Length > 0 ? char.ToUpperInvariant(hint[0]) + hint[1..] : hint;
        return $"the kernel says \"{kernelMessage}\"{at}. {sentence}";
    }
}
