using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Abi;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;

namespace BpfSharp.Interop.Netlink;

/// <summary>
/// The kernel's answer to a request: NLMSG_ERROR (errno 0 = acknowledged) or the status of NLMSG_DONE, with the
/// extended-ack text and the offset of the offending attribute when the kernel gave them.
/// </summary>
readonly record struct NetlinkAck(int Errno, string? KernelMessage, int? AttributeOffset)
{
    /// <summary>
    /// Reads <c>struct nlmsgerr</c>: a negative errno, the request's header, the request's payload unless the ack is
    /// capped (NLM_F_CAPPED), then extended-ack attributes when NLM_F_ACK_TLVS is set.
    /// </summary>
    public static NetlinkAck Parse(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        int headerSize = Unsafe.SizeOf<NetlinkMessageHeader>();
        if (payload.Length < 4 + headerSize)
            throw new BpfFormatException($"netlink error message is {payload.Length} bytes, shorter than struct nlmsgerr.");
        int error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var request = MemoryMarshal.Read<NetlinkMessageHeader>(payload[4..]);
        int attributes = 4 + headerSize;
        if ((message.Header.Flags & NLM_F_CAPPED) == 0) attributes = 4 + Align((int)request.Length);
        bool hasTlvs = (message.Header.Flags & NLM_F_ACK_TLVS) != 0 && attributes < payload.Length;
        return Read(-error, hasTlvs ? payload[attributes..] : default);
    }

    /// <summary>Reads the status of NLMSG_DONE: an int (negative errno when the dump failed), then extended-ack attributes.</summary>
    public static NetlinkAck ParseDone(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < 4) return new NetlinkAck(0, null, null);
        int status = BinaryPrimitives.ReadInt32LittleEndian(payload);
        bool hasTlvs = (message.Header.Flags & NLM_F_ACK_TLVS) != 0 && payload.Length > 4;
        return Read(status < 0 ? -status : 0, hasTlvs ? payload[4..] : default);
    }

    static NetlinkAck Read(int errno, ReadOnlySpan<byte> tlvs)
    {
        string? text = null;
        int? offset = null;
        foreach (NetlinkAttribute a in new NetlinkAttributes(tlvs))
        {
            if (a.Type == NLMSGERR_ATTR_MSG) text = a.String();
            else if (a.Type == NLMSGERR_ATTR_OFFS && a.Value.Length >= 4) offset = (int)a.U32();
        }
        return new NetlinkAck(errno, string.IsNullOrEmpty(text) ? null : text, offset);
    }

    public NetlinkException ToException(string requestName, string context, Func<Errno, string?>? hint) =>
        new(requestName, Errno, hint?.Invoke((Errno)Errno) ?? GeneralHint((Errno)Errno), context, KernelMessage, AttributeOffset);

    static string GeneralHint(Errno errno) => errno switch
    {
        Abi.Errno.EPERM => "changing network configuration needs CAP_NET_ADMIN in the interface's network namespace: run as root.",
        Abi.Errno.ENODEV => "there is no network interface with that index in the network namespace the request was made in.",
        Abi.Errno.EOPNOTSUPP => "the interface's driver or this kernel does not support the operation.",
        Abi.Errno.EINVAL => "the kernel rejected an attribute of the request; its message above says which.",
        _ => "see rtnetlink(7) and the kernel's message, if any.",
    };
}
