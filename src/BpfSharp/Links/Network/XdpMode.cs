using BpfSharp.Abi;

namespace BpfSharp.Links.Network;

/// <summary>Where an XDP program runs; the values are the kernel's <c>XDP_FLAGS_*</c> mode bits.</summary>
public enum XdpMode : uint
{
    /// <summary>No mode flag: native when the driver supports XDP, else generic.</summary>
    Auto = 0,
    /// <summary>Generic XDP (XDP_FLAGS_SKB_MODE): after the socket buffer is built; works on every interface, slower.</summary>
    Generic = (uint)XdpAttachFlags.SkbMode,
    /// <summary>Native XDP (XDP_FLAGS_DRV_MODE): in the driver, before any allocation; veth, virtio_net and most NICs.</summary>
    Native = (uint)XdpAttachFlags.DrvMode,
    /// <summary>Offloaded to the NIC (XDP_FLAGS_HW_MODE); needs a program loaded for that device.</summary>
    Offload = (uint)XdpAttachFlags.HwMode,
}

/// <summary>What IFLA_XDP_ATTACHED reports for an interface (<c>XDP_ATTACHED_*</c>).</summary>
public enum XdpAttachedMode : byte
{
    None = 0,
    Native = 1,
    Generic = 2,
    Offload = 3,
    /// <summary>Programs in more than one mode (e.g. offload plus native): see the per-mode ids.</summary>
    Multiple = 4,
}

/// <summary>
/// The XDP state of an interface as RTM_GETLINK reports it, whichever way the programs were attached (link or
/// netlink). Ids are 0 where nothing is attached.
/// </summary>
public sealed record XdpStatus(XdpAttachedMode Mode, uint ProgramId, uint NativeProgramId, uint GenericProgramId, uint OffloadProgramId)
{
    /// <summary>The id of the program attached in <paramref name="mode"/> (Auto: the single attached one), or 0.</summary>
    public uint ProgramIdIn(XdpMode mode) => mode switch
    {
        XdpMode.Native => NativeProgramId,
        XdpMode.Generic => GenericProgramId,
        XdpMode.Offload => OffloadProgramId,
        _ => ProgramId,
    };
}

/// <summary>Options of an XDP attachment made the legacy way, by netlink (RTM_SETLINK with IFLA_XDP).</summary>
public sealed record XdpNetlinkOptions
{
    public XdpMode Mode { get; init; }

    /// <summary>Fail with EBUSY instead of replacing a program already attached in this mode (XDP_FLAGS_UPDATE_IF_NOEXIST).</summary>
    public bool FailIfAttached { get; init; }

    /// <summary>
    /// Replace atomically, and only if this program is the one attached now (XDP_FLAGS_REPLACE with IFLA_XDP_EXPECTED_FD);
    /// otherwise the kernel fails with EEXIST.
    /// </summary>
    public Programs.BpfProgram? Replace { get; init; }
}
