using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Cgroups;

/// <summary>
/// A legacy cgroup attachment made by <see cref="CgroupProgram.Attach(BpfProgram, BpfFileDescriptor, CgroupHook, CgroupAttachMode, BpfProgram?, CgroupOrder)"/>.
/// It holds its own fd of the cgroup and the program's id, so it can detach after the caller closed both.
/// Disposing detaches; an attachment already gone (detached elsewhere, replaced) is not an error then.
/// </summary>
public sealed class CgroupAttachment : IDisposable
{
    readonly BpfFileDescriptor cgroup;
    bool detached;

    internal CgroupAttachment(BpfFileDescriptor cgroup, CgroupHook hook, uint programId, string program)
    {
        this.cgroup = cgroup;
        Hook = hook;
        ProgramId = programId;
        Program = program;
    }

    public CgroupHook Hook { get; }

    /// <summary>The attached program's id.</summary>
    public uint ProgramId { get; }

    /// <summary>What was attached, for messages.</summary>
    public string Program { get; }

    /// <summary>Detaches the program now (BPF_PROG_DETACH). Throws when it is no longer attached (ENOENT).</summary>
    public void Detach()
    {
        ObjectDisposedException.ThrowIf(cgroup.IsClosed, this);
        using BpfProgram program = BpfProgram.FromId(ProgramId, cgroup.Syscalls);
        program.Detach(cgroup, CgroupHooks.Info(Hook).AttachType);
        detached = true;
    }

    public void Dispose()
    {
        if (cgroup.IsClosed) return;
        try
        {
            if (!detached) Detach();
        }
        catch (BpfSyscallException e) when (e.Errno == Errno.ENOENT)
        {
            // detached or replaced by someone else, or the program is gone: nothing left to undo
        }
        finally
        {
            cgroup.Dispose();
        }
    }

    public override string ToString() => $"{Program} attached at cgroup hook {Hook}";
}
