using BpfSharp.Abi;
using BpfSharp.Programs;

namespace BpfSharp.Links.Cgroups;

/// <summary>
/// Where a new program goes among those already attached at one hook of one cgroup (Linux 6.16+: the cgroup
/// programs then speak the mprog ordering of tcx). The default appends, as every kernel does. Optionally the attach
/// succeeds only if the hook's revision (see <see cref="ProgramQueryResult.Revision"/>) is still
/// <see cref="ExpectedRevision"/>; otherwise the kernel answers ESTALE.
/// </summary>
public readonly record struct CgroupOrder
{
    CgroupOrder(ProgramAttachFlags flags, BpfProgram? program, uint id)
    {
        Flags = flags;
        Program = program;
        Id = id;
    }

    internal ProgramAttachFlags Flags { get; }

    /// <summary>The program to place relative to, when given by handle.</summary>
    internal BpfProgram? Program { get; }

    /// <summary>The program id to place relative to, when given by id (with <see cref="ProgramAttachFlags.Id"/>).</summary>
    internal uint Id { get; }

    /// <summary>Attach only if the hook's revision is still this one (0: do not check).</summary>
    public ulong ExpectedRevision { get; init; }

    /// <summary>Append after every program attached so far (the kernel's default).</summary>
    public static CgroupOrder Last => default;

    /// <summary>Run before every program attached so far.</summary>
    public static CgroupOrder First => new(ProgramAttachFlags.Before, null, 0);

    /// <summary>Run right before <paramref name="program"/>, which must be attached at the same hook.</summary>
    public static CgroupOrder Before(BpfProgram program) => new(ProgramAttachFlags.Before, Required(program), 0);

    /// <summary>Run right after <paramref name="program"/>, which must be attached at the same hook.</summary>
    public static CgroupOrder After(BpfProgram program) => new(ProgramAttachFlags.After, Required(program), 0);

    /// <summary>Run right before the attached program with this id.</summary>
    public static CgroupOrder BeforeId(uint programId) => new(ProgramAttachFlags.Before | ProgramAttachFlags.Id, null, programId);

    /// <summary>Run right after the attached program with this id.</summary>
    public static CgroupOrder AfterId(uint programId) => new(ProgramAttachFlags.After | ProgramAttachFlags.Id, null, programId);

    /// <summary>True when nothing beyond the kernel's default (append, no revision check) is asked.</summary>
    internal bool IsDefault => Flags == 0 && ExpectedRevision == 0;

    static BpfProgram Required(BpfProgram program) => program ?? throw new ArgumentNullException(nameof(program));

    /// <summary>The explanation of the errnos ordering adds, for error messages.</summary>
    internal string? Explain(Errno errno) => errno switch
    {
        Errno.ESTALE => $"the hook's revision is no longer {ExpectedRevision}: another attach or detach happened; query again and retry.",
        Errno.ENOENT when Flags != 0 => "the program to place relative to is not attached at this hook of this cgroup.",
        Errno.EINVAL when Flags != 0 =>
            "ordering cgroup programs (before/after, BPF_F_BEFORE/AFTER) needs Linux 6.16 or later, the anchor must be of the same program type, " +
            "and it cannot be combined with replacing a program.",
        _ => null,
    };

    public override string ToString() =>
        (Flags & (ProgramAttachFlags.Before | ProgramAttachFlags.After)) switch
        {
            0 => "last",
            var f => (f == ProgramAttachFlags.Before ? "before " : "after ") + (Program?.ToString() ?? (Id != 0 ? $"program id {Id}" : "all")),
        } + (ExpectedRevision != 0 ? $" at revision {ExpectedRevision}" : "");
}
