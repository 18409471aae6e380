using BpfSharp.Abi;
using BpfSharp.Programs;

namespace BpfSharp.Links.Cgroups;

/// <summary>
/// Where a new program goes among those already attached at one hook of one cgroup (Linux 6.16+: cgroup hooks then
/// speak the mprog ordering of tcx). The default appends, as every kernel does. A link is placed relative to another
/// link (<see cref="Before(BpfLink)"/>), a legacy attachment relative to another legacy-attached program
/// (<see cref="Before(BpfProgram)"/>): the kernel does not mix the two. Optionally the attach succeeds only if the
/// hook's revision (see <see cref="ProgramQueryResult.Revision"/>) is still <see cref="ExpectedRevision"/>; otherwise
/// the kernel answers ESTALE.
/// </summary>
public readonly record struct CgroupOrder
{
    CgroupOrder(ProgramAttachFlags flags, BpfProgram? program = null, BpfLink? link = null, uint id = 0)
    {
        Flags = flags;
        Program = program;
        Link = link;
        Id = id;
    }

    internal ProgramAttachFlags Flags { get; }

    /// <summary>The legacy-attached program to place relative to, when given by handle.</summary>
    internal BpfProgram? Program { get; }

    /// <summary>The link to place relative to, when given by handle.</summary>
    internal BpfLink? Link { get; }

    /// <summary>The program or link id to place relative to, when given by id (with <see cref="ProgramAttachFlags.Id"/>).</summary>
    internal uint Id { get; }

    /// <summary>True when the anchor is a link (BPF_F_LINK), false when a program or none.</summary>
    internal bool AnchorsOnLink => (Flags & ProgramAttachFlags.Link) != 0;

    /// <summary>True when a specific program or link is named.</summary>
    internal bool HasAnchor => Program != null || Link != null || (Flags & ProgramAttachFlags.Id) != 0;

    /// <summary>Attach only if the hook's revision is still this one (0: do not check).</summary>
    public ulong ExpectedRevision { get; init; }

    /// <summary>Append after every program attached so far (the kernel's default).</summary>
    public static CgroupOrder Last => default;

    /// <summary>Run before every program attached so far.</summary>
    public static CgroupOrder First => new(ProgramAttachFlags.Before);

    /// <summary>Run right before <paramref name="link"/>'s program (for a new link; same cgroup and hook).</summary>
    public static CgroupOrder Before(BpfLink link) => new(ProgramAttachFlags.Before | ProgramAttachFlags.Link, link: Required(link));

    /// <summary>Run right after <paramref name="link"/>'s program (for a new link; same cgroup and hook).</summary>
    public static CgroupOrder After(BpfLink link) => new(ProgramAttachFlags.After | ProgramAttachFlags.Link, link: Required(link));

    /// <summary>Run right before the link with this id (for a new link).</summary>
    public static CgroupOrder BeforeLinkId(uint linkId) => new(ProgramAttachFlags.Before | ProgramAttachFlags.Link | ProgramAttachFlags.Id, id: linkId);

    /// <summary>Run right after the link with this id (for a new link).</summary>
    public static CgroupOrder AfterLinkId(uint linkId) => new(ProgramAttachFlags.After | ProgramAttachFlags.Link | ProgramAttachFlags.Id, id: linkId);

    /// <summary>Run right before <paramref name="program"/> (for a legacy attachment; it must be legacy-attached at the same hook).</summary>
    public static CgroupOrder Before(BpfProgram program) => new(ProgramAttachFlags.Before, program: Required(program));

    /// <summary>Run right after <paramref name="program"/> (for a legacy attachment; it must be legacy-attached at the same hook).</summary>
    public static CgroupOrder After(BpfProgram program) => new(ProgramAttachFlags.After, program: Required(program));

    /// <summary>Run right before the legacy-attached program with this id.</summary>
    public static CgroupOrder BeforeId(uint programId) => new(ProgramAttachFlags.Before | ProgramAttachFlags.Id, id: programId);

    /// <summary>Run right after the legacy-attached program with this id.</summary>
    public static CgroupOrder AfterId(uint programId) => new(ProgramAttachFlags.After | ProgramAttachFlags.Id, id: programId);

    /// <summary>True when nothing beyond the kernel's default (append, no revision check) is asked.</summary>
    internal bool IsDefault => Flags == 0 && ExpectedRevision == 0;

    static T Required<T>(T value) where T : class => value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The relative fd or id for the attributes; the caller holds <paramref name="lease"/> of the anchor's fd.</summary>
    internal uint Relative(scoped in Interop.FdLease lease) => Program is null && Link is null ? Id : lease.UFd;

    /// <summary>Leases the anchor's fd for the duration of the call (a default lease when the anchor is an id or none).</summary>
    internal Interop.FdLease LeaseAnchor() =>
        Program is { } p ? p.Fd.Lease() : Link is { } l ? l.Fd.Lease() : default;

    /// <summary>The explanation of the errnos ordering adds, for error messages.</summary>
    internal string? Explain(Errno errno) => errno switch
    {
        Errno.ESTALE => $"the hook's revision is no longer {ExpectedRevision}: another attach or detach happened; query again and retry.",
        Errno.ENOENT when HasAnchor => $"the {(AnchorsOnLink ? "link" : "program")} to place relative to is not attached at this hook of this cgroup" +
            (AnchorsOnLink ? "." : " by legacy attach (links are placed relative to links)."),
        Errno.EINVAL when Flags != 0 =>
            "ordering cgroup programs (before/after, BPF_F_BEFORE/AFTER) needs Linux 6.16 or later, the anchor must be of the same program type, " +
            "and it cannot be combined with replacing a program.",
        _ => null,
    };

    public override string ToString() =>
        (Flags & (ProgramAttachFlags.Before | ProgramAttachFlags.After)) switch
        {
            0 => "last",
            var f => (f == ProgramAttachFlags.Before ? "before " : "after ")
                + (Program?.ToString() ?? Link?.ToString() ?? (HasAnchor ? $"{(AnchorsOnLink ? "link" : "program")} id {Id}" : "all")),
        } + (ExpectedRevision != 0 ? $" at revision {ExpectedRevision}" : "");
}
