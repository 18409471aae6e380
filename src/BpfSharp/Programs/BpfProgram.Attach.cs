using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Programs;

/// <summary>
/// What BPF_PROG_QUERY reports for one hook: the attached programs in run order, their per-program attach flags
/// (empty for an effective query, where the kernel does not give them), the hook's attach flags, and its revision
/// (bumped by every attach and detach on hooks that count revisions; 0 where the kernel does not).
/// </summary>
public sealed record ProgramQueryResult(
    IReadOnlyList<uint> ProgramIds,
    IReadOnlyList<ProgramAttachFlags> ProgramAttachFlags,
    ProgramAttachFlags AttachFlags,
    ulong Revision);

public sealed unsafe partial class BpfProgram
{
    /// <summary>
    /// Attaches the program to a hook the legacy way (BPF_PROG_ATTACH), e.g. a cgroup directory fd from
    /// <see cref="Links.Cgroup.Open"/>. The attachment lasts until <see cref="Detach(BpfFileDescriptor, BpfAttachType)"/>,
    /// not until the fd closes. With <paramref name="replace"/> (needs <see cref="ProgramAttachFlags.AllowMulti"/>) that
    /// program is swapped out atomically.
    /// </summary>
    public void Attach(BpfFileDescriptor target, BpfAttachType type, ProgramAttachFlags flags = ProgramAttachFlags.None,
        BpfProgram? replace = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        using FdLease t = target.Lease();
        Attach(t.Fd, type, flags, replace);
    }

    /// <summary>BPF_PROG_ATTACH to a raw target fd (kept open by the caller) or interface index.</summary>
    public void Attach(int targetFdOrIfIndex, BpfAttachType type, ProgramAttachFlags flags = ProgramAttachFlags.None,
        BpfProgram? replace = null)
    {
        using FdLease p = Fd.Lease();
        var attr = new ProgAttachAttr
        {
            TargetFd = (uint)targetFdOrIfIndex,
            AttachBpfFd = p.UFd,
            AttachType = (uint)type,
            AttachFlags = (uint)flags,
        };
        if (replace is null)
        {
            BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.ProgAttach, ref attr, $"attaching {this} at {type}");
            return;
        }
        using FdLease old = replace.Fd.Lease();
        attr.AttachFlags |= (uint)ProgramAttachFlags.Replace;
        attr.ReplaceBpfFd = old.UFd;
        BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.ProgAttach, ref attr, $"attaching {this} at {type} in place of {replace}");
    }

    /// <summary>Detaches this program from a hook it was attached to with <see cref="Attach(BpfFileDescriptor, BpfAttachType, ProgramAttachFlags, BpfProgram?)"/> (BPF_PROG_DETACH).</summary>
    public void Detach(BpfFileDescriptor target, BpfAttachType type)
    {
        ArgumentNullException.ThrowIfNull(target);
        using FdLease t = target.Lease();
        Detach(t.Fd, type);
    }

    /// <summary>BPF_PROG_DETACH from a raw target fd or interface index.</summary>
    public void Detach(int targetFdOrIfIndex, BpfAttachType type)
    {
        using FdLease p = Fd.Lease();
        var attr = new ProgAttachAttr { TargetFd = (uint)targetFdOrIfIndex, AttachBpfFd = p.UFd, AttachType = (uint)type };
        BpfSyscall.InvokeChecked(Fd.Syscalls, BpfCommand.ProgDetach, ref attr, $"detaching {this} from {type}");
    }

    /// <summary>
    /// Lists the programs attached at a hook (BPF_PROG_QUERY): asks for the count, then fetches that many ids (asking
    /// again if more were attached in between).
    /// </summary>
    public static ProgramQueryResult Query(BpfFileDescriptor target, BpfAttachType type, ProgramQueryFlags flags = ProgramQueryFlags.None)
    {
        ArgumentNullException.ThrowIfNull(target);
        using FdLease t = target.Lease();
        return Query(target.Syscalls, t.Fd, type, flags);
    }

    /// <summary>BPF_PROG_QUERY on a raw target fd (kept open by the caller) or interface index.</summary>
    public static ProgramQueryResult Query(ISyscalls syscalls, int targetFdOrIfIndex, BpfAttachType type,
        ProgramQueryFlags flags = ProgramQueryFlags.None)
    {
        ArgumentNullException.ThrowIfNull(syscalls);
        bool effective = (flags & ProgramQueryFlags.Effective) != 0;
        string context = $"querying {type} of target {targetFdOrIfIndex}";
        var attr = new ProgQueryAttr { TargetFd = (uint)targetFdOrIfIndex, AttachType = (uint)type, QueryFlags = (uint)flags };
        BpfSyscall.InvokeChecked(syscalls, BpfCommand.ProgQuery, ref attr, context);
        while (true)
        {
            uint count = attr.Count;
            uint[] ids = new uint[count];
            uint[] perProgram = new uint[effective ? 0 : count];
            if (count == 0)
                return new ProgramQueryResult([], [], (ProgramAttachFlags)attr.AttachFlags, attr.Revision);
            fixed (uint* i = ids)
            fixed (uint* f = perProgram)
            {
                attr = new ProgQueryAttr
                {
                    TargetFd = (uint)targetFdOrIfIndex,
                    AttachType = (uint)type,
                    QueryFlags = (uint)flags,
                    ProgIds = (ulong)i,
                    ProgAttachFlags = effective ? 0 : (ulong)f,
                    Count = count,
                };
                int r = BpfSyscall.Invoke(syscalls, BpfCommand.ProgQuery, ref attr);
                // ENOSPC: programs were attached since the count was read; attr.Count holds the new total.
                if (r == -(int)Errno.ENOSPC) continue;
                if (r < 0) throw new BpfSyscallException(BpfCommand.ProgQuery, -r, context);
            }
            int n = (int)Math.Min(attr.Count, count);
            var attachFlags = new ProgramAttachFlags[effective ? 0 : n];
            for (int k = 0; k < attachFlags.Length; k++) attachFlags[k] = (ProgramAttachFlags)perProgram[k];
            return new ProgramQueryResult(ids[..n], attachFlags, (ProgramAttachFlags)attr.AttachFlags, attr.Revision);
        }
    }
}
