using BpfSharp.Abi;
using BpfSharp.Interop.Netlink;

namespace BpfSharp.Links.Network;

/// <summary>Options of a cls_bpf filter (<see cref="ClsAct.Attach(Programs.BpfProgram, int, TcDirection, TcFilterOptions?)"/>).</summary>
public sealed record TcFilterOptions
{
    /// <summary>The filter's priority: lower runs first; 0 lets the kernel pick one (below the existing ones).</summary>
    public ushort Priority { get; init; }

    /// <summary>The filter's handle within its priority; 0 lets the kernel pick one.</summary>
    public uint Handle { get; init; }

    /// <summary>Replace a filter at the same priority and handle (NLM_F_REPLACE) instead of failing with EEXIST.</summary>
    public bool Replace { get; init; }

    /// <summary>The name tc shows; default <c>PROGRAM:[ID]</c>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Direct action (TCA_BPF_FLAG_ACT_DIRECT, default): the program's return value is the verdict (TC_ACT_OK 0,
    /// TC_ACT_SHOT 2, TC_ACT_UNSPEC −1 to go on with the next filter …). Without it the return value is a class id.
    /// </summary>
    public bool DirectAction { get; init; } = true;

    /// <summary>The EtherType the filter sees (host order); default ETH_P_ALL, every packet.</summary>
    public ushort Protocol { get; init; } = EtherProtocol.ETH_P_ALL;

    /// <summary>Add the clsact qdisc first when the interface has none (default).</summary>
    public bool CreateQdisc { get; init; } = true;
}

/// <summary>A filter of a clsact hook as RTM_GETTFILTER reports it.</summary>
public sealed record TcFilterInfo(TcDirection Direction, ushort Priority, uint Handle, ushort Protocol, string Kind)
{
    /// <summary>The BPF program of a cls_bpf filter (TCA_BPF_ID), 0 for other kinds.</summary>
    public uint ProgramId { get; init; }

    /// <summary>The cls_bpf filter's name (TCA_BPF_NAME).</summary>
    public string? Name { get; init; }

    /// <summary>Whether the program's return value is the verdict (TCA_BPF_FLAG_ACT_DIRECT).</summary>
    public bool DirectAction { get; init; }

    /// <summary>The program's tag (TCA_BPF_TAG), 8 bytes.</summary>
    public IReadOnlyList<byte>? Tag { get; init; }
}

/// <summary>
/// A cls_bpf filter added by <see cref="ClsAct.Attach(Programs.BpfProgram, int, TcDirection, TcFilterOptions?)"/>.
/// Like every tc filter it stays until deleted; <see cref="Detach"/> or disposing deletes it — while it still runs
/// this handle's program — in the network namespace it was added in, whichever thread disposes. The clsact qdisc
/// stays (other filters may use it); <see cref="ClsAct.DeleteQdisc"/> removes it with all its filters.
/// </summary>
public sealed class TcFilter : IDisposable
{
    readonly RouteNetlinkSocket socket;
    bool detached, disposed;

    internal TcFilter(RouteNetlinkSocket socket, int ifIndex, TcDirection direction, ushort priority, uint handle, ushort protocol, uint programId)
    {
        this.socket = socket;
        IfIndex = ifIndex;
        Direction = direction;
        Priority = priority;
        Handle = handle;
        Protocol = protocol;
        ProgramId = programId;
    }

    public int IfIndex { get; }
    public TcDirection Direction { get; }
    /// <summary>The priority the filter got (the kernel's choice when 0 was asked for).</summary>
    public ushort Priority { get; }
    /// <summary>The handle the filter got.</summary>
    public uint Handle { get; }
    public ushort Protocol { get; }
    public uint ProgramId { get; }

    /// <summary>The filters of this filter's hook, read in its network namespace.</summary>
    public IReadOnlyList<TcFilterInfo> ListHookFilters()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return ClsAct.ListFilters(socket, IfIndex, Direction);
    }

    /// <summary>
    /// Deletes the filter if it is still there with this program. Returns false when it is gone already (deleted, or
    /// its qdisc or interface removed) or now runs another program (then it is left alone).
    /// </summary>
    public bool Detach()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (detached) return false;
        detached = true;
        TcFilterInfo? current;
        try
        {
            current = ClsAct.ListFilters(socket, IfIndex, Direction).FirstOrDefault(f => f.Priority == Priority && f.Handle == Handle);
        }
        catch (NetlinkException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT or Errno.ENODEV)
        {
            return false; // the qdisc or the interface is gone, and the filter with it
        }
        if (current is null || current.ProgramId != ProgramId) return false;
        ClsAct.DeleteFilter(socket, IfIndex, Direction, Priority, Handle, Protocol);
        return true;
    }

    /// <summary>Detaches (see <see cref="Detach"/>) and closes the netlink socket.</summary>
    public void Dispose()
    {
        if (disposed) return;
        try { Detach(); }
        finally
        {
            socket.Dispose();
            disposed = true;
        }
    }

    public override string ToString() => $"cls_bpf filter {Priority}:{Handle:x} ({Direction}) of program {ProgramId} on interface {IfIndex}";
}
