using System.Buffers.Binary;
using BpfSharp.Abi;
using BpfSharp.Interop.Netlink;
using BpfSharp.Programs;
using static BpfSharp.Interop.Netlink.NetlinkProtocol;
using static BpfSharp.Interop.Netlink.PktClsProtocol;
using static BpfSharp.Interop.Netlink.PktSchedProtocol;
using static BpfSharp.Interop.Netlink.RtNetlinkProtocol;

namespace BpfSharp.Links.Network;

/// <summary>
/// tc the classic way, over rtnetlink: the clsact qdisc gives an interface an ingress and an egress hook, and
/// cls_bpf filters run BPF programs (type sched_cls) there, in priority order. What <c>tc qdisc add dev D clsact</c>
/// and <c>tc filter add dev D ingress bpf direct-action fd N</c> do. Works on every kernel since 4.5 (direct action);
/// on 6.6+ <see cref="Tcx"/> links are the newer way. Interfaces are resolved in the calling thread's network
/// namespace.
/// </summary>
public static class ClsAct
{
    const string QdiscKind = "clsact", FilterKind = "bpf";

    /// <summary>Adds the clsact qdisc (RTM_NEWQDISC). Returns false when the interface has one already.</summary>
    public static bool AddQdisc(int ifIndex)
    {
        NetDevice.CheckIndex(ifIndex);
        using var socket = RouteNetlinkSocket.Open();
        return AddQdisc(socket, ifIndex);
    }

    /// <summary>Removes the clsact qdisc and with it every filter on both hooks (RTM_DELQDISC).</summary>
    public static void DeleteQdisc(int ifIndex)
    {
        NetDevice.CheckIndex(ifIndex);
        using var socket = RouteNetlinkSocket.Open();
        Span<byte> buffer = stackalloc byte[64];
        var w = Qdisc(buffer, RTM_DELQDISC, NLM_F_REQUEST | NLM_F_ACK, socket, ifIndex);
        socket.Request(w.Finish(), "RTM_DELQDISC", $"deleting the clsact qdisc of interface {ifIndex}",
            errno => errno is Errno.ENOENT or Errno.EINVAL ? "the interface has no clsact qdisc." : null);
    }

    /// <summary>Whether the interface has a clsact qdisc (RTM_GETQDISC dump).</summary>
    public static bool HasQdisc(int ifIndex)
    {
        NetDevice.CheckIndex(ifIndex);
        using var socket = RouteNetlinkSocket.Open();
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkMessageWriter(buffer, RTM_GETQDISC, NLM_F_REQUEST | NLM_F_DUMP, socket.NextSequence());
        w.Reserve<TrafficControlMessage>().IfIndex = ifIndex;
        bool found = false;
        socket.Dump(w.Finish(), "RTM_GETQDISC", $"listing the qdiscs of interface {ifIndex}", (in NetlinkMessage reply) =>
        {
            var tc = reply.Fixed<TrafficControlMessage>();
            if (tc.IfIndex != ifIndex || tc.Parent != TC_H_CLSACT) return;
            if (reply.AttributesAfter<TrafficControlMessage>().TryFind(TCA_KIND, out NetlinkAttribute kind) && kind.String() == QdiscKind)
                found = true;
        });
        return found;
    }

    /// <summary>
    /// Adds a cls_bpf filter running <paramref name="program"/> (type sched_cls) at the interface's ingress or egress
    /// (RTM_NEWTFILTER with TCA_KIND "bpf" and TCA_OPTIONS {TCA_BPF_FD, TCA_BPF_NAME, TCA_BPF_FLAGS}), adding the
    /// clsact qdisc first when needed. The returned handle deletes the filter when disposed.
    /// </summary>
    public static TcFilter Attach(BpfProgram program, int ifIndex, TcDirection direction, TcFilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        NetDevice.CheckIndex(ifIndex);
        options ??= new TcFilterOptions();
        ProgramInfo info = program.GetInfo();
        string name = options.Name ?? $"{info.Name}:[{info.Id}]";
        string context = $"adding a cls_bpf filter for {program} at {direction} of interface {ifIndex}";
        var socket = RouteNetlinkSocket.Open();
        try
        {
            if (options.CreateQdisc) AddQdisc(socket, ifIndex);
            using Interop.FdLease p = program.Fd.Lease();
            Span<byte> buffer = stackalloc byte[256];
            ushort flags = (ushort)(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO | (options.Replace ? NLM_F_REPLACE : NLM_F_EXCL));
            var w = new NetlinkMessageWriter(buffer, RTM_NEWTFILTER, flags, socket.NextSequence());
            ref TrafficControlMessage tc = ref w.Reserve<TrafficControlMessage>();
            tc.Family = AF_UNSPEC;
            tc.IfIndex = ifIndex;
            tc.Parent = Parent(direction);
            tc.Handle = options.Handle;
            tc.Info = FilterInfo(options.Priority, options.Protocol);
            w.AttributeString(TCA_KIND, FilterKind);
            int nest = w.BeginNested(TCA_OPTIONS);
            w.AttributeS32(TCA_BPF_FD, p.Fd);
            w.AttributeString(TCA_BPF_NAME, name);
            if (options.DirectAction) w.AttributeU32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
            w.EndNested(nest);

            // The kernel echoes the new filter, with the priority and handle it chose.
            ushort priority = options.Priority;
            uint handle = options.Handle;
            socket.Request(w.Finish(), "RTM_NEWTFILTER", context, errno => FilterHint(errno, options), (in NetlinkMessage reply) =>
            {
                if (reply.Header.Type != RTM_NEWTFILTER) return;
                var echoed = reply.Fixed<TrafficControlMessage>();
                priority = (ushort)(echoed.Info >> 16);
                handle = echoed.Handle;
            });
            return new TcFilter(socket, ifIndex, direction, priority, handle, options.Protocol, info.Id);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Adds a cls_bpf filter on the interface called <paramref name="interfaceName"/>.</summary>
    public static TcFilter Attach(BpfProgram program, string interfaceName, TcDirection direction, TcFilterOptions? options = null) =>
        Attach(program, NetDevice.IndexOf(interfaceName), direction, options);

    /// <summary>The filters at an interface's ingress or egress, in priority order (RTM_GETTFILTER dump).</summary>
    public static IReadOnlyList<TcFilterInfo> ListFilters(int ifIndex, TcDirection direction)
    {
        NetDevice.CheckIndex(ifIndex);
        using var socket = RouteNetlinkSocket.Open();
        return ListFilters(socket, ifIndex, direction);
    }

    /// <summary>Deletes the filter at <paramref name="priority"/>/<paramref name="handle"/> of a hook (RTM_DELTFILTER), whatever program it runs.</summary>
    public static void DeleteFilter(int ifIndex, TcDirection direction, ushort priority, uint handle, ushort protocol = EtherProtocol.ETH_P_ALL)
    {
        NetDevice.CheckIndex(ifIndex);
        if (priority == 0) throw new ArgumentOutOfRangeException(nameof(priority), "a filter is named by its priority and handle; priority 0 would flush the hook.");
        using var socket = RouteNetlinkSocket.Open();
        DeleteFilter(socket, ifIndex, direction, priority, handle, protocol);
    }

    internal static IReadOnlyList<TcFilterInfo> ListFilters(RouteNetlinkSocket socket, int ifIndex, TcDirection direction)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkMessageWriter(buffer, RTM_GETTFILTER, NLM_F_REQUEST | NLM_F_DUMP, socket.NextSequence());
        ref TrafficControlMessage tc = ref w.Reserve<TrafficControlMessage>();
        tc.IfIndex = ifIndex;
        tc.Parent = Parent(direction);
        var filters = new List<TcFilterInfo>();
        socket.Dump(w.Finish(), "RTM_GETTFILTER", $"listing the {direction} filters of interface {ifIndex}", (in NetlinkMessage reply) =>
        {
            if (reply.Header.Type != RTM_NEWTFILTER) return;
            var t = reply.Fixed<TrafficControlMessage>();
            if (t.Handle == 0) return; // the per-priority header entry, not a filter
            filters.Add(ReadFilter(direction, t, reply.AttributesAfter<TrafficControlMessage>()));
        }, errno => errno is Errno.EINVAL or Errno.ENOENT ? "the interface has no clsact qdisc (no filters)." : null);
        return filters;
    }

    internal static void DeleteFilter(RouteNetlinkSocket socket, int ifIndex, TcDirection direction, ushort priority, uint handle, ushort protocol)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkMessageWriter(buffer, RTM_DELTFILTER, NLM_F_REQUEST | NLM_F_ACK, socket.NextSequence());
        ref TrafficControlMessage tc = ref w.Reserve<TrafficControlMessage>();
        tc.IfIndex = ifIndex;
        tc.Parent = Parent(direction);
        tc.Handle = handle;
        tc.Info = FilterInfo(priority, protocol);
        w.AttributeString(TCA_KIND, FilterKind);
        socket.Request(w.Finish(), "RTM_DELTFILTER", $"deleting filter {priority}:{handle:x} at {direction} of interface {ifIndex}",
            errno => errno is Errno.ENOENT or Errno.EINVAL ? "there is no such filter (or no clsact qdisc) on that hook." : null);
    }

    static TcFilterInfo ReadFilter(TcDirection direction, TrafficControlMessage t, NetlinkAttributes attributes)
    {
        string kind = "";
        uint programId = 0;
        string? name = null;
        bool direct = false;
        byte[]? tag = null;
        foreach (NetlinkAttribute a in attributes)
        {
            if (a.Type == TCA_KIND) kind = a.String();
            else if (a.Type == TCA_OPTIONS)
            {
                foreach (NetlinkAttribute o in a.Nested())
                {
                    switch (o.Type)
                    {
                        case TCA_BPF_ID: programId = o.U32(); break;
                        case TCA_BPF_NAME: name = o.String(); break;
                        case TCA_BPF_FLAGS: direct = (o.U32() & TCA_BPF_FLAG_ACT_DIRECT) != 0; break;
                        case TCA_BPF_TAG: tag = o.Value.ToArray(); break;
                    }
                }
            }
        }
        var protocol = BinaryPrimitives.ReverseEndianness((ushort)t.Info);
        return new TcFilterInfo(direction, (ushort)(t.Info >> 16), t.Handle, protocol, kind)
        {
            ProgramId = programId,
            Name = name,
            DirectAction = direct,
            Tag = tag,
        };
    }

    static bool AddQdisc(RouteNetlinkSocket socket, int ifIndex)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = Qdisc(buffer, RTM_NEWQDISC, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, socket, ifIndex);
        try
        {
            socket.Request(w.Finish(), "RTM_NEWQDISC", $"adding a clsact qdisc to interface {ifIndex}");
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            return false;
        }
    }

    static NetlinkMessageWriter Qdisc(Span<byte> buffer, ushort type, ushort flags, RouteNetlinkSocket socket, int ifIndex)
    {
        var w = new NetlinkMessageWriter(buffer, type, flags, socket.NextSequence());
        ref TrafficControlMessage tc = ref w.Reserve<TrafficControlMessage>();
        tc.Family = AF_UNSPEC;
        tc.IfIndex = ifIndex;
        tc.Parent = TC_H_CLSACT;
        tc.Handle = Make(TC_H_CLSACT, 0);
        w.AttributeString(TCA_KIND, QdiscKind);
        return w;
    }

    /// <summary>The hook's parent handle: ffff:fff2 for ingress, ffff:fff3 for egress.</summary>
    static uint Parent(TcDirection direction) => direction switch
    {
        TcDirection.Ingress => Make(TC_H_CLSACT, TC_H_MIN_INGRESS),
        TcDirection.Egress => Make(TC_H_CLSACT, TC_H_MIN_EGRESS),
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Ingress or Egress."),
    };

    /// <summary>tcm_info of a filter: priority in the upper half, protocol in network order in the lower.</summary>
    static uint FilterInfo(ushort priority, ushort protocol) => Make((uint)priority << 16, BinaryPrimitives.ReverseEndianness(protocol));

    static string? FilterHint(Errno errno, TcFilterOptions options) => errno switch
    {
        Errno.EEXIST => $"a filter with priority {options.Priority} and handle {options.Handle:x} exists: set Replace, or pick another priority/handle.",
        Errno.EINVAL or Errno.ENOENT when !options.CreateQdisc => "the interface may have no clsact qdisc: add one (ClsAct.AddQdisc) or set CreateQdisc.",
        Errno.EINVAL => "the program may not be of type sched_cls/sched_act, or the priority/handle/protocol clash with an existing filter of another kind.",
        _ => null,
    };
}
