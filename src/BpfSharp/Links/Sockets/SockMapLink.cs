using BpfSharp.Abi;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Links.Sockets;

/// <summary>
/// Attaches sk_msg and sk_skb programs to a sockmap or sockhash by link (BPF_LINK_CREATE with the map's fd, Linux
/// 6.10+): the program runs for the map's sockets until the link is closed or detached; the link's program can be
/// swapped with <see cref="BpfLink.Update"/>. On older kernels, and to keep an attachment without an fd, use
/// <see cref="SockMapProgram"/>.
/// </summary>
/// <example><code>
/// using BpfLink verdict = SockMapLink.Attach(obj.Program("redirect"), obj.Map("sock_map"), SockMapHook.StreamVerdict);
/// var sockets = SocketMap.Wrap(obj.Map("sock_map"));
/// sockets.Set(0, serverSide);
/// </code></example>
public static class SockMapLink
{
    public static BpfLink Attach(BpfProgram program, BpfMap map, SockMapHook hook)
    {
        SockMapHooks.Check(program, map, hook);
        try { return BpfLink.Create(program, map.Fd, hook.AttachType()); }
        catch (BpfSyscallException e) when (SockMapHooks.Explain(e.Errno, hook) is { } why)
        {
            throw new BpfSyscallException(BpfCommand.LinkCreate, (int)e.Errno, e.Context, why);
        }
    }

    /// <summary>The id of the map a sockmap link is attached to (0 once detached) and its hook, from the link's info.</summary>
    public static (uint MapId, SockMapHook? Hook) GetTarget(BpfLink link)
    {
        LinkInfo info = LinkCreation.InfoOfType(link, BpfLinkType.SockMap, "a sockmap link");
        return (info.MapId ?? 0, info.AttachType is { } attachType ? SockMapHooks.FromAttachType(attachType) : null);
    }
}

/// <summary>
/// Legacy attachment of sk_msg and sk_skb programs to a sockmap or sockhash (BPF_PROG_ATTACH with the map's fd): one
/// program per hook, replaced by attaching another; it lasts until detached or until the map is freed.
/// </summary>
public static class SockMapProgram
{
    /// <summary>Attaches <paramref name="program"/> at <paramref name="hook"/> of <paramref name="map"/>; the handle detaches when disposed.</summary>
    public static SockMapAttachment Attach(BpfProgram program, BpfMap map, SockMapHook hook)
    {
        SockMapHooks.Check(program, map, hook);
        try { program.Attach(map.Fd, hook.AttachType()); }
        catch (BpfSyscallException e) when (SockMapHooks.Explain(e.Errno, hook) is { } why)
        {
            throw new BpfSyscallException(BpfCommand.ProgAttach, (int)e.Errno, e.Context, why);
        }
        return new SockMapAttachment(map.GetInfo().Id, program.GetInfo().Id, hook, program.ToString(), map.Fd.Syscalls);
    }

    /// <summary>The program attached at <paramref name="hook"/> of <paramref name="map"/> (zero or one id).</summary>
    public static ProgramQueryResult Query(BpfMap map, SockMapHook hook)
    {
        ArgumentNullException.ThrowIfNull(map);
        return BpfProgram.Query(map.Fd, hook.AttachType());
    }
}

/// <summary>
/// A legacy sockmap attachment (<see cref="SockMapProgram.Attach"/>). It keeps the ids of the map and the program, so
/// it can detach after the caller closed them (while the map still exists). Disposing detaches; already detached is
/// not an error then.
/// </summary>
public sealed class SockMapAttachment : IDisposable
{
    readonly Interop.ISyscalls syscalls;
    bool done;

    internal SockMapAttachment(uint mapId, uint programId, SockMapHook hook, string program, Interop.ISyscalls syscalls)
    {
        MapId = mapId;
        ProgramId = programId;
        Hook = hook;
        Program = program;
        this.syscalls = syscalls;
    }

    public uint MapId { get; }
    public uint ProgramId { get; }
    public SockMapHook Hook { get; }
    public string Program { get; }

    /// <summary>Detaches now (BPF_PROG_DETACH); throws when no longer attached.</summary>
    public void Detach()
    {
        ObjectDisposedException.ThrowIf(done, this);
        using BpfMap map = BpfMap.FromId(MapId, syscalls);
        using BpfProgram program = BpfProgram.FromId(ProgramId, syscalls);
        program.Detach(map.Fd, Hook.AttachType());
        done = true;
    }

    public void Dispose()
    {
        if (done) return;
        try { Detach(); }
        catch (BpfSyscallException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL) { }
        finally { done = true; }
    }

    public override string ToString() => $"{Program} at {Hook} of map id {MapId}";
}
