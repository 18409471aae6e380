using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Cgroups;

/// <summary>
/// Legacy attachment of cgroup programs (BPF_PROG_ATTACH / BPF_PROG_DETACH / BPF_PROG_QUERY): the attachment lives in
/// the cgroup until detached, independent of any fd, and has a sharing mode (<see cref="CgroupAttachMode"/>). Prefer
/// <see cref="CgroupLink"/> unless you need exclusive or override semantics or an attachment that outlives the process
/// without a pin.
/// </summary>
public static unsafe class CgroupProgram
{
    /// <summary>
    /// Attaches <paramref name="program"/> at <paramref name="hook"/> of <paramref name="cgroup"/>. With
    /// <paramref name="replace"/> (mode <see cref="CgroupAttachMode.Multi"/> only) that attached program is swapped
    /// for this one in place (BPF_F_REPLACE). The returned handle detaches when disposed; dispose it or not, the
    /// attachment does not depend on the process.
    /// </summary>
    /// <exception cref="ArgumentException">The program's type cannot run at <paramref name="hook"/>, or replace was given without Multi.</exception>
    /// <exception cref="BpfSyscallException">The kernel refused; the message says why (mode conflicts are EPERM, a program attached twice EINVAL).</exception>
    public static CgroupAttachment Attach(BpfProgram program, BpfFileDescriptor cgroup, CgroupHook hook, CgroupAttachMode mode,
        BpfProgram? replace = null, CgroupOrder order = default)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        CgroupHooks.HookInfo info = CgroupHooks.Check(program, hook);
        if (replace != null && mode != CgroupAttachMode.Multi)
            throw new ArgumentException($"replacing a program in place needs mode {CgroupAttachMode.Multi}; in modes {mode} attaching again replaces the one program.", nameof(replace));

        if (order.AnchorsOnLink)
            throw new ArgumentException($"a legacy attachment is placed relative to another legacy-attached program, not to a link ({order}).", nameof(order));
        using FdLease p = program.Fd.Lease();
        using FdLease target = cgroup.Lease();
        using FdLease old = replace is null ? default : replace.Fd.Lease();
        using FdLease relative = order.LeaseAnchor();
        ProgramAttachFlags flags = Flags(mode) | order.Flags | (replace is null ? 0 : ProgramAttachFlags.Replace);
        var attr = new ProgAttachAttr
        {
            TargetFd = target.UFd,
            AttachBpfFd = p.UFd,
            AttachType = (uint)info.AttachType,
            AttachFlags = (uint)flags,
            ReplaceBpfFd = replace is null ? 0 : old.UFd,
            RelativeFd = order.Relative(relative),
            ExpectedRevision = order.ExpectedRevision,
        };
        int r = BpfSyscall.Invoke(program.Fd.Syscalls, BpfCommand.ProgAttach, ref attr);
        if (r < 0)
            throw new BpfSyscallException(BpfCommand.ProgAttach, -r,
                $"attaching {program} at cgroup hook {hook} in mode {mode}" + (replace is null ? "" : $" in place of {replace}"),
                order.Explain((Errno)(-r)) ?? WhyRefused((Errno)(-r), program, hook, mode));
        uint programId = program.GetInfo().Id; // before the cgroup fd is reopened, so a failure here leaves no fd to the finalizer
        return new CgroupAttachment(Cgroup.Reopen(cgroup), hook, programId, program.ToString());
    }

    /// <summary>Attaches to the cgroup at <paramref name="cgroupPath"/>; see the overload taking an fd.</summary>
    public static CgroupAttachment Attach(BpfProgram program, string cgroupPath, CgroupHook hook, CgroupAttachMode mode,
        BpfProgram? replace = null, CgroupOrder order = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        using BpfFileDescriptor cgroup = Cgroup.Open(cgroupPath, program.Fd.Syscalls);
        return Attach(program, cgroup, hook, mode, replace, order);
    }

    /// <summary>Detaches <paramref name="program"/> from <paramref name="hook"/> of <paramref name="cgroup"/> (BPF_PROG_DETACH); ENOENT when it is not attached there.</summary>
    public static void Detach(BpfProgram program, BpfFileDescriptor cgroup, CgroupHook hook)
    {
        CgroupHooks.HookInfo info = CgroupHooks.Check(program, hook);
        program.Detach(cgroup, info.AttachType);
    }

    /// <summary>
    /// The programs attached at <paramref name="hook"/> of <paramref name="cgroup"/> itself, in run order, with their
    /// flags and the hook's revision; with <paramref name="effective"/> those that actually run for processes in it,
    /// ancestors' included (no flags then).
    /// </summary>
    public static ProgramQueryResult Query(BpfFileDescriptor cgroup, CgroupHook hook, bool effective = false) =>
        BpfProgram.Query(cgroup, CgroupHooks.Info(hook).AttachType, effective ? ProgramQueryFlags.Effective : ProgramQueryFlags.None);

    /// <summary>The attach flags of a mode.</summary>
    public static ProgramAttachFlags Flags(CgroupAttachMode mode) => mode switch
    {
        CgroupAttachMode.Exclusive => ProgramAttachFlags.None,
        CgroupAttachMode.Override => ProgramAttachFlags.AllowOverride,
        CgroupAttachMode.Multi => ProgramAttachFlags.AllowMulti,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The mode a hook's attach flags (from <see cref="Query"/>) stand for.</summary>
    public static CgroupAttachMode ModeOf(ProgramAttachFlags flags) =>
        (flags & ProgramAttachFlags.AllowMulti) != 0 ? CgroupAttachMode.Multi
        : (flags & ProgramAttachFlags.AllowOverride) != 0 ? CgroupAttachMode.Override
        : CgroupAttachMode.Exclusive;

    static string? WhyRefused(Errno errno, BpfProgram program, CgroupHook hook, CgroupAttachMode mode) => errno switch
    {
        Errno.EPERM =>
            $"the hook {hook} already has programs attached in another mode than {mode} (the first attachment fixes the mode), " +
            "or an ancestor cgroup holds an exclusive (non-override, non-multi) program there; query the hook (and its parent) to see which.",
        Errno.EINVAL => CgroupHooks.WhyInvalid(program, hook) + " Attaching the same program twice at one hook is EINVAL too.",
        Errno.ENOENT => "the program given to replace is not attached at this hook of this cgroup.",
        _ => null,
    };
}
