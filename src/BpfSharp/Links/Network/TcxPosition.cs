using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Network;

/// <summary>
/// Where in a tcx chain a new program goes (the kernel's multi-program ordering: BPF_F_BEFORE/AFTER relative to a
/// program or link given by fd or by id). The chain runs in order until a program returns something other than
/// TCX_NEXT (−1).
/// </summary>
public sealed class TcxPosition
{
    TcxPosition(ProgramAttachFlags flags, BpfFileDescriptor? relativeFd, uint relativeId, string description)
    {
        Flags = flags;
        RelativeFd = relativeFd;
        RelativeId = relativeId;
        Description = description;
    }

    internal ProgramAttachFlags Flags { get; }
    internal BpfFileDescriptor? RelativeFd { get; }
    internal uint RelativeId { get; }
    internal string Description { get; }

    /// <summary>At the head of the chain (BPF_F_BEFORE with no anchor).</summary>
    public static TcxPosition First { get; } = new(ProgramAttachFlags.Before, null, 0, "first");

    /// <summary>At the tail of the chain (BPF_F_AFTER with no anchor) — also where a program goes without a position.</summary>
    public static TcxPosition Last { get; } = new(ProgramAttachFlags.After, null, 0, "last");

    /// <summary>Right before <paramref name="program"/>, which must be in the chain.</summary>
    public static TcxPosition Before(BpfProgram program) => Relative(ProgramAttachFlags.Before, program);

    /// <summary>Right before the program of <paramref name="link"/> (BPF_F_LINK), which must be in the chain.</summary>
    public static TcxPosition Before(BpfLink link) => Relative(ProgramAttachFlags.Before, link);

    /// <summary>Right after <paramref name="program"/>.</summary>
    public static TcxPosition After(BpfProgram program) => Relative(ProgramAttachFlags.After, program);

    /// <summary>Right after the program of <paramref name="link"/>.</summary>
    public static TcxPosition After(BpfLink link) => Relative(ProgramAttachFlags.After, link);

    /// <summary>Right before the program with id <paramref name="programId"/> (BPF_F_ID), e.g. from <see cref="Tcx.Query(int, TcDirection)"/>.</summary>
    public static TcxPosition BeforeProgramId(uint programId) =>
        new(ProgramAttachFlags.Before | ProgramAttachFlags.Id, null, programId, $"before program id {programId}");

    /// <summary>Right after the program with id <paramref name="programId"/>.</summary>
    public static TcxPosition AfterProgramId(uint programId) =>
        new(ProgramAttachFlags.After | ProgramAttachFlags.Id, null, programId, $"after program id {programId}");

    /// <summary>Right before the program of the link with id <paramref name="linkId"/> (BPF_F_ID | BPF_F_LINK).</summary>
    public static TcxPosition BeforeLinkId(uint linkId) =>
        new(ProgramAttachFlags.Before | ProgramAttachFlags.Id | ProgramAttachFlags.Link, null, linkId, $"before link id {linkId}");

    /// <summary>Right after the program of the link with id <paramref name="linkId"/>.</summary>
    public static TcxPosition AfterLinkId(uint linkId) =>
        new(ProgramAttachFlags.After | ProgramAttachFlags.Id | ProgramAttachFlags.Link, null, linkId, $"after link id {linkId}");

    static TcxPosition Relative(ProgramAttachFlags side, BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new(side, program.Fd, 0, $"{Side(side)} {program}");
    }

    static TcxPosition Relative(ProgramAttachFlags side, BpfLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new(side | ProgramAttachFlags.Link, link.Fd, 0, $"{Side(side)} {link}");
    }

    static string Side(ProgramAttachFlags side) => side == ProgramAttachFlags.Before ? "before" : "after";

    public override string ToString() => Description;
}

/// <summary>One entry of a tcx chain: the program and, when it was attached by a link, the link (else 0).</summary>
public readonly record struct TcxEntry(uint ProgramId, uint LinkId);

/// <summary>A tcx chain in run order, and its revision (bumped by every change; pass it as the expected revision to attach only onto this state).</summary>
public sealed record TcxChain(IReadOnlyList<TcxEntry> Entries, ulong Revision)
{
    public IEnumerable<uint> ProgramIds => Entries.Select(e => e.ProgramId);
    public IEnumerable<uint> LinkIds => Entries.Select(e => e.LinkId);
}
