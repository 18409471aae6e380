using BpfSharp.Abi;
using BpfSharp.Links;

namespace BpfSharp.Cli.Commands;

/// <summary>What a link is attached to, in a line of text for <c>link list</c> (the JSON form is <see cref="LinkInfo"/> itself).</summary>
static class LinkDescription
{
    public static string Describe(LinkInfo i) => i.Type switch
    {
        BpfLinkType.RawTracepoint => $"tp_name {i.TracepointName}{Cookie(i)}",
        BpfLinkType.Tracing => $"attach_type {i.AttachType}  target_obj_id {i.TargetObjectId}  target_btf_id {i.TargetBtfId}{Cookie(i)}",
        BpfLinkType.Cgroup => $"cgroup_id {i.CgroupId}  attach_type {i.AttachType}",
        BpfLinkType.Iter => Iterator(i),
        BpfLinkType.Netns => $"netns_ino {i.NetnsInode}  attach_type {i.AttachType}",
        BpfLinkType.Xdp => $"ifindex {NetworkInterfaces.Describe(i.IfIndex ?? 0)}",
        BpfLinkType.Tcx or BpfLinkType.Netkit => $"ifindex {NetworkInterfaces.Describe(i.IfIndex ?? 0)}  attach_type {i.AttachType}",
        BpfLinkType.PerfEvent => PerfEvent(i),
        BpfLinkType.KprobeMulti => $"kprobe_multi{Return(i)}  {i.Addresses?.Count} functions  missed {i.Missed}"
            + (i.Addresses is { Count: > 0 } a ? $"  addrs {string.Join(',', a.Select(x => $"0x{x:x}"))}" : "")
            + Cookies(i),
        BpfLinkType.UprobeMulti => $"uprobe_multi{Return(i)}  path {i.Path}  pid {i.ProcessId}"
            + (i.Offsets is { Count: > 0 } o ? $"  offsets {string.Join(',', o.Select(x => $"0x{x:x}"))}" : "")
            + Cookies(i),
        BpfLinkType.StructOps => $"map_id {i.MapId}",
        BpfLinkType.Netfilter => $"{Family(i.ProtocolFamily ?? 0)} {Hook(i.ProtocolFamily ?? 0, i.Hook ?? 0)}  prio {i.Priority}"
            + (i.Flags is > 0 ? $"  flags 0x{i.Flags:x}" : ""),
        BpfLinkType.SockMap => $"map_id {i.MapId}  attach_type {i.AttachType}",
        _ => "",
    };

    static string Iterator(LinkInfo i)
    {
        string text = $"target_name {i.IteratorTarget}";
        if (i.MapId is { } map) text += $"  map_id {map}";
        if (i.CgroupId is { } cgroup) text += $"  cgroup_id {cgroup}  order {i.IteratorOrder}";
        if (i.ProcessId is { } pid) text += $"  pid {pid}  tid {i.ThreadId}";
        return text;
    }

    static string PerfEvent(LinkInfo i) => i.PerfEventType switch
    {
        BpfPerfEventType.Uprobe or BpfPerfEventType.Uretprobe =>
            $"{(i.PerfEventType == BpfPerfEventType.Uprobe ? "uprobe" : "uretprobe")} {i.Path}+0x{i.Offset:x}"
            + (i.RefCounterOffset is > 0 ? $"  ref_ctr_offset 0x{i.RefCounterOffset:x}" : "") + Cookie(i),
        BpfPerfEventType.Kprobe or BpfPerfEventType.Kretprobe =>
            $"{(i.PerfEventType == BpfPerfEventType.Kprobe ? "kprobe" : "kretprobe")} {i.FunctionName}+0x{i.Offset:x}  addr 0x{i.Address:x}  missed {i.Missed}" + Cookie(i),
        BpfPerfEventType.Tracepoint => $"tracepoint {i.TracepointName}" + Cookie(i),
        BpfPerfEventType.Event => $"event type {i.EventType}  config {i.EventConfig}" + Cookie(i),
        _ => $"perf event {i.PerfEventType}",
    };

    static string Cookie(LinkInfo i) => i.Cookie is > 0 ? $"  cookie {i.Cookie}" : "";

    static string Cookies(LinkInfo i) => i.Cookies is { } c && c.Any(x => x != 0) ? $"  cookies {string.Join(',', c)}" : "";

    static string Return(LinkInfo i) => (i.Flags & 1) != 0 ? " (return)" : "";

    static string Family(uint pf) => pf switch
    {
        1 => "inet",
        2 => "ipv4",
        3 => "arp",
        5 => "netdev",
        7 => "bridge",
        10 => "ipv6",
        _ => $"pf {pf}",
    };

    static string Hook(uint pf, uint hook) => pf is 1 or 2 or 10 or 7
        ? hook switch
        {
            0 => "prerouting",
            1 => "input",
            2 => "forward",
            3 => "output",
            4 => "postrouting",
            _ => $"hook {hook}",
        }
        : $"hook {hook}";
}
