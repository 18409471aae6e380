using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links.Sockets;

/// <summary>
/// Flow dissector programs: replace the kernel's packet parser (used for RSS/RPS hashing, flower, GRO and more) in a
/// network namespace. One program per namespace; the root namespace's program excludes all others and the other way
/// round (EEXIST). Attach by link to a namespace fd (<see cref="Attach(BpfProgram, BpfFileDescriptor)"/>), or the
/// legacy way to the calling thread's namespace (<see cref="AttachToCurrentNamespace"/>).
/// </summary>
public static class FlowDissector
{
    /// <summary>Attaches by link to the network namespace <paramref name="netns"/>.</summary>
    public static BpfLink Attach(BpfProgram program, BpfFileDescriptor netns)
    {
        Check(program);
        try { return BpfLink.Create(program, netns, BpfAttachType.FlowDissector); }
        catch (BpfSyscallException e) when (e.Errno == Errno.EEXIST)
        {
            throw new BpfSyscallException(BpfCommand.LinkCreate, (int)Errno.EEXIST, e.Context, Exclusive);
        }
    }

    /// <summary>
    /// Attaches the legacy way (BPF_PROG_ATTACH) to the network namespace of the calling thread, replacing the one
    /// legacy-attached there. The returned handle detaches on disposal — from a thread in the same namespace, since
    /// the kernel detaches from the caller's namespace.
    /// </summary>
    public static FlowDissectorAttachment AttachToCurrentNamespace(BpfProgram program)
    {
        Check(program);
        using BpfFileDescriptor netns = NetworkNamespace.Open(NetworkNamespace.CurrentThread, program.Fd.Syscalls);
        ulong inode = NetworkNamespace.Inode(netns);
        try { program.Attach(0, BpfAttachType.FlowDissector); }
        catch (BpfSyscallException e) when (e.Errno == Errno.EEXIST)
        {
            throw new BpfSyscallException(BpfCommand.ProgAttach, (int)Errno.EEXIST, e.Context, Exclusive);
        }
        return new FlowDissectorAttachment(program.GetInfo().Id, inode, program.ToString(), program.Fd.Syscalls);
    }

    /// <summary>The program attached in <paramref name="netns"/> (zero or one id, by link or legacy).</summary>
    public static ProgramQueryResult Query(BpfFileDescriptor netns) => BpfProgram.Query(netns, BpfAttachType.FlowDissector);

    static void Check(BpfProgram program) =>
        ProgramChecks.Require(program, BpfProgramType.FlowDissector, "as a flow dissector", "flow_dissector");

    const string Exclusive =
        "a flow dissector is already attached where it conflicts: the root network namespace's dissector excludes those of every other namespace " +
        "and the other way round, and a namespace takes one (detach the other, or attach in a namespace whose parent has none).";
}

/// <summary>A legacy flow dissector attachment (<see cref="FlowDissector.AttachToCurrentNamespace"/>); disposing detaches it.</summary>
public sealed class FlowDissectorAttachment : IDisposable
{
    readonly ISyscalls syscalls;
    bool done;

    internal FlowDissectorAttachment(uint programId, ulong namespaceInode, string program, ISyscalls syscalls)
    {
        ProgramId = programId;
        NamespaceInode = namespaceInode;
        Program = program;
        this.syscalls = syscalls;
    }

    public uint ProgramId { get; }

    /// <summary>The inode of the network namespace it is attached in.</summary>
    public ulong NamespaceInode { get; }

    public string Program { get; }

    /// <summary>
    /// Detaches (BPF_PROG_DETACH in the calling thread's namespace). Throws <see cref="InvalidOperationException"/>
    /// when the calling thread is in another namespace than the one attached to.
    /// </summary>
    public void Detach()
    {
        ObjectDisposedException.ThrowIf(done, this);
        using (BpfFileDescriptor here = NetworkNamespace.Open(NetworkNamespace.CurrentThread, syscalls))
            if (NetworkNamespace.Inode(here) != NamespaceInode)
                throw new InvalidOperationException(
                    $"{Program} is attached as flow dissector in network namespace {NamespaceInode}, but this thread is in {NetworkNamespace.Inode(here)}: " +
                    "the kernel detaches legacy flow dissectors from the caller's namespace, so detach from a thread in that namespace.");
        using BpfProgram program = BpfProgram.FromId(ProgramId, syscalls);
        program.Detach(0, BpfAttachType.FlowDissector);
        done = true;
    }

    /// <summary>Detaches; already detached or replaced (ENOENT, EINVAL) is not an error here.</summary>
    public void Dispose()
    {
        if (done) return;
        try { Detach(); }
        catch (BpfSyscallException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL) { }
        finally { done = true; }
    }

    public override string ToString() => $"{Program} as flow dissector of network namespace {NamespaceInode}";
}
