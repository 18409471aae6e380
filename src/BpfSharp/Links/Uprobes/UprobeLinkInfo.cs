using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// What the kernel reports about a uprobe link (BPF_OBJ_GET_INFO_BY_FD): for a perf-event uprobe its one probe, for a
/// uprobe_multi link all of them. Read with <see cref="Read"/>.
/// </summary>
/// <param name="LinkType">Perf event (one probe) or uprobe_multi.</param>
/// <param name="Path">The probed file as the kernel resolved it.</param>
/// <param name="Retprobe">Return probes.</param>
/// <param name="Offsets">The probes' file offsets.</param>
/// <param name="Cookies">Their BPF cookies.</param>
/// <param name="RefCounterOffsets">Their reference-counter (semaphore) offsets, 0 for none.</param>
/// <param name="Pid">The pid filter of a uprobe_multi link (null for none, and for perf-event links, which do not report it).</param>
public sealed record UprobeLinkInfo(
    BpfLinkType LinkType,
    string Path,
    bool Retprobe,
    IReadOnlyList<ulong> Offsets,
    IReadOnlyList<ulong> Cookies,
    IReadOnlyList<ulong> RefCounterOffsets,
    int? Pid)
{
    const int PathMax = 4096;

    /// <summary>Reads the uprobe details of <paramref name="link"/>.</summary>
    /// <exception cref="ArgumentException">The link is not a uprobe or uprobe_multi link.</exception>
    public static unsafe UprobeLinkInfo Read(BpfLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var info = new BpfLinkInfo();
        BpfSyscall.GetInfo(link.Fd, ref info);
        byte[] path = new byte[PathMax];
        switch ((BpfLinkType)info.Type)
        {
            case BpfLinkType.PerfEvent:
            {
                fixed (byte* p = path)
                {
                    info = new BpfLinkInfo { PerfEventUprobeFileName = (ulong)p, PerfEventUprobeNameLen = PathMax };
                    BpfSyscall.GetInfo(link.Fd, ref info);
                }
                var type = (BpfPerfEventType)info.PerfEventType;
                if (type is not (BpfPerfEventType.Uprobe or BpfPerfEventType.Uretprobe))
                    throw new ArgumentException($"{link} is a perf-event link of kind {type}, not a uprobe.", nameof(link));
                return new UprobeLinkInfo(BpfLinkType.PerfEvent, Text(path), type == BpfPerfEventType.Uretprobe,
                    [info.PerfEventUprobeOffset], [info.PerfEventUprobeCookie], [info.PerfEventUprobeRefCtrOffset], null);
            }
            case BpfLinkType.UprobeMulti:
            {
                uint count = info.UprobeMultiCount;
                ulong[] offsets = new ulong[count], cookies = new ulong[count], refs = new ulong[count];
                fixed (byte* p = path)
                fixed (ulong* o = offsets)
                fixed (ulong* c = cookies)
                fixed (ulong* r = refs)
                {
                    info = new BpfLinkInfo
                    {
                        UprobeMultiPath = (ulong)p,
                        UprobeMultiPathSize = PathMax,
                        UprobeMultiOffsets = (ulong)o,
                        UprobeMultiCookies = (ulong)c,
                        UprobeMultiRefCtrOffsets = (ulong)r,
                        UprobeMultiCount = count,
                    };
                    BpfSyscall.GetInfo(link.Fd, ref info);
                }
                return new UprobeLinkInfo(BpfLinkType.UprobeMulti, Text(path), (info.UprobeMultiFlags & (uint)UprobeMultiFlags.Return) != 0,
                    offsets, cookies, refs, info.UprobeMultiPid == 0 ? null : (int)info.UprobeMultiPid);
            }
            default:
                throw new ArgumentException($"{link} is a {(BpfLinkType)info.Type} link, not a uprobe or uprobe_multi link.", nameof(link));
        }
    }

    static string Text(byte[] buffer)
    {
        int end = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
    }
}
