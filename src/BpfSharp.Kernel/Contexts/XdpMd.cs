using System.Runtime.InteropServices;

namespace BpfSharp.Kernel;

/// <summary>
/// The context of an XDP program (<c>struct xdp_md</c>). Packet bytes lie between <see cref="Data"/> and
/// <see cref="DataEnd"/>; check bounds before every access (<c>if (Data + sizeof(EthHdr) &gt; DataEnd) return XdpAction.Pass;</c>).
/// </summary>
[KernelStruct("xdp_md"), StructLayout(LayoutKind.Sequential)]
public unsafe struct XdpMd
{
    // The kernel rewrites 32-bit loads of these fields into 64-bit packet pointers; the properties widen them so C#
    // sees pointers and the compiler sees the zero-extended load it turns into the real pointer.
    readonly uint data;
    readonly uint dataEnd;
    readonly uint dataMeta;

    /// <summary>The interface the packet arrived on.</summary>
    public uint IngressIfindex;
    /// <summary>The receive queue.</summary>
    public uint RxQueueIndex;
    /// <summary>The interface being transmitted on (devmap programs only).</summary>
    public uint EgressIfindex;

    /// <summary>The first packet byte.</summary>
    public readonly byte* Data => (byte*)(nuint)data;
    /// <summary>One past the last packet byte.</summary>
    public readonly byte* DataEnd => (byte*)(nuint)dataEnd;
    /// <summary>The start of the metadata area before <see cref="Data"/> (equal to it when there is none).</summary>
    public readonly byte* DataMeta => (byte*)(nuint)dataMeta;
}

/// <summary>What an XDP program does with the packet (<c>enum xdp_action</c>).</summary>
public enum XdpAction
{
    /// <summary>Error: drop and trace an exception.</summary>
    Aborted = 0,
    /// <summary>Drop the packet.</summary>
    Drop = 1,
    /// <summary>Let the packet go on to the network stack.</summary>
    Pass = 2,
    /// <summary>Send the (rewritten) packet back out of the interface it came in on.</summary>
    Tx = 3,
    /// <summary>Send it where <c>bpf_redirect</c>/<c>bpf_redirect_map</c> said.</summary>
    Redirect = 4,
}
