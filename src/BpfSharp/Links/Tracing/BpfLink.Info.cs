using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links;

public sealed unsafe partial class BpfLink
{
    /// <summary>Points a string member of <see cref="BpfLinkInfo"/> at a buffer of <paramref name="length"/> bytes.</summary>
    delegate void InfoStringBuffer(ref BpfLinkInfo info, ulong buffer, uint length);

    LinkInfo WithPerfEventInfo(LinkInfo result, in BpfLinkInfo info)
    {
        var kind = (BpfPerfEventType)info.PerfEventType;
        result = result with { PerfEventKind = kind, AttachType = BpfAttachType.PerfEvent };
        switch (kind)
        {
            case BpfPerfEventType.Tracepoint:
                return result with
                {
                    TracepointName = ReadInfoString(info.PerfEventTracepointNameLen, static (ref i, b, l) =>
                    {
                        i.PerfEventTracepointTpName = b;
                        i.PerfEventTracepointNameLen = l;
                    }),
                    Cookie = info.PerfEventTracepointCookie,
                };
            case BpfPerfEventType.Kprobe or BpfPerfEventType.Kretprobe:
                return result with
                {
                    FunctionName = ReadInfoString(info.PerfEventKprobeNameLen, static (ref i, b, l) =>
                    {
                        i.PerfEventKprobeFuncName = b;
                        i.PerfEventKprobeNameLen = l;
                    }),
                    ProbeOffset = info.PerfEventKprobeOffset,
                    ProbeAddress = info.PerfEventKprobeAddr,
                    MissedCount = info.PerfEventKprobeMissed,
                    Cookie = info.PerfEventKprobeCookie,
                };
            case BpfPerfEventType.Uprobe or BpfPerfEventType.Uretprobe:
                return result with
                {
                    FileName = ReadInfoString(info.PerfEventUprobeNameLen, static (ref i, b, l) =>
                    {
                        i.PerfEventUprobeFileName = b;
                        i.PerfEventUprobeNameLen = l;
                    }),
                    ProbeOffset = info.PerfEventUprobeOffset,
                    Cookie = info.PerfEventUprobeCookie,
                };
            case BpfPerfEventType.Event:
                return result with { EventType = info.PerfEventEventType, EventConfig = info.PerfEventEventConfig, Cookie = info.PerfEventEventCookie };
            default:
                return result;
        }
    }

    LinkInfo WithIteratorInfo(LinkInfo result, in BpfLinkInfo info)
    {
        string target = ReadInfoString(info.IterTargetNameLen, static (ref i, b, l) =>
        {
            i.IterTargetName = b;
            i.IterTargetNameLen = l;
        });
        result = result with { IteratorTarget = target, AttachType = BpfAttachType.TraceIter };
        return target switch
        {
            "bpf_map_elem" or "bpf_sk_storage_map" or "sockmap" => result with { MapId = info.IterMapMapId },
            "task" or "task_file" or "task_vma" => result with { ProcessId = info.IterTaskPid, ThreadId = info.IterTaskTid },
            "cgroup" => result with { CgroupId = info.IterCgroupCgroupId, CgroupOrder = (CgroupIterOrder)info.IterCgroupOrder },
            _ => result,
        };
    }

    /// <summary>
    /// Reads a string member of the link's info: the first BPF_OBJ_GET_INFO_BY_FD (with no buffer) reported its length
    /// (with the NUL) as <paramref name="length"/>; a second one fills a buffer of that size.
    /// </summary>
    string ReadInfoString(uint length, InfoStringBuffer setBuffer)
    {
        if (length <= 1) return "";
        byte[] buffer = new byte[length];
        fixed (byte* b = buffer)
        {
            var second = new BpfLinkInfo();
            setBuffer(ref second, (ulong)b, length);
            BpfSyscall.GetInfo(Fd, ref second);
            return BpfSyscall.ReadObjectName(b, buffer.Length);
        }
    }
}
