namespace BpfSharp.Links.Cgroups;

/// <summary>
/// How a legacy attachment (BPF_PROG_ATTACH) shares its hook with other programs, in this cgroup and below it.
/// The first attachment at a hook fixes the mode; later ones must use the same mode.
/// </summary>
public enum CgroupAttachMode
{
    /// <summary>
    /// One program at this hook of this cgroup (flags 0): attaching again replaces it, and no descendant cgroup may
    /// attach at the hook (EPERM).
    /// </summary>
    Exclusive,

    /// <summary>
    /// One program here (BPF_F_ALLOW_OVERRIDE), which a descendant cgroup may override with its own: processes there run
    /// the descendant's program instead.
    /// </summary>
    Override,

    /// <summary>
    /// Several programs here (BPF_F_ALLOW_MULTI), run in order, after (with) those of ancestors attached with this mode.
    /// Links always use this mode.
    /// </summary>
    Multi,
}
