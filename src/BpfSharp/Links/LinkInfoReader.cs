using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>
/// Decodes <c>struct bpf_link_info</c> for every link type. A first BPF_OBJ_GET_INFO_BY_FD call tells the type and
/// the sizes of the variable parts (names, paths, address and cookie arrays); a second call with buffers of those
/// sizes fetches them, for the types that have such parts.
/// </summary>
static unsafe class LinkInfoReader
{
    /// <summary>PATH_MAX: the most a path the kernel reports can take (uprobe_multi does not report its length first).</summary>
    const int PathMax = 4096;

    public static LinkInfo Read(BpfFileDescriptor fd)
    {
        var info = new BpfLinkInfo();
        BpfSyscall.GetInfo(fd, ref info);
        var type = (BpfLinkType)info.Type;
        var result = new LinkInfo(info.Id, type, info.ProgId);
        return type switch
        {
            BpfLinkType.RawTracepoint => result with
            {
                TracepointName = ReadName(fd, info.RawTracepointTpNameLen, static (ref BpfLinkInfo i, ulong p, uint n) => { i.RawTracepointTpName = p; i.RawTracepointTpNameLen = n; }),
                Cookie = info.RawTracepointCookie,
            },
            BpfLinkType.Tracing => result with
            {
                AttachType = (BpfAttachType)info.TracingAttachType,
                TargetObjectId = info.TracingTargetObjId,
                TargetBtfId = info.TracingTargetBtfId,
                Cookie = info.TracingCookie,
            },
            BpfLinkType.Cgroup => result with { CgroupId = info.CgroupCgroupId, AttachType = (BpfAttachType)info.CgroupAttachType },
            BpfLinkType.Iter => Iterator(fd, info, result),
            BpfLinkType.Netns => result with { NetnsInode = info.NetnsNetnsIno, AttachType = (BpfAttachType)info.NetnsAttachType },
            BpfLinkType.Xdp => result with { IfIndex = info.XdpIfindex },
            BpfLinkType.PerfEvent => PerfEvent(fd, info, result),
            BpfLinkType.KprobeMulti => KprobeMulti(fd, info, result),
            BpfLinkType.StructOps => result with { MapId = info.StructOpsMapId },
            BpfLinkType.Netfilter => result with
            {
                ProtocolFamily = info.NetfilterPf,
                Hook = info.NetfilterHooknum,
                Priority = info.NetfilterPriority,
                Flags = info.NetfilterFlags,
            },
            BpfLinkType.Tcx => result with { IfIndex = info.TcxIfindex, AttachType = (BpfAttachType)info.TcxAttachType },
            BpfLinkType.UprobeMulti => UprobeMulti(fd, info, result),
            BpfLinkType.Netkit => result with { IfIndex = info.NetkitIfindex, AttachType = (BpfAttachType)info.NetkitAttachType },
            BpfLinkType.SockMap => result with { MapId = info.SockMapMapId, AttachType = (BpfAttachType)info.SockMapAttachType },
            _ => result,
        };
    }

    delegate void SetBuffer(ref BpfLinkInfo info, ulong pointer, uint length);

    /// <summary>A second call that only asks for a NUL-terminated name; the first call reported its length (with the NUL).</summary>
    static string ReadName(BpfFileDescriptor fd, uint length, SetBuffer set)
    {
        if (length == 0) return "";
        byte[] buffer = new byte[length];
        fixed (byte* b = buffer)
        {
            var second = new BpfLinkInfo();
            set(ref second, (ulong)b, length);
            BpfSyscall.GetInfo(fd, ref second);
            return BpfSyscall.ReadObjectName(b, buffer.Length);
        }
    }

    static LinkInfo Iterator(BpfFileDescriptor fd, in BpfLinkInfo first, LinkInfo result)
    {
        // The second call also refills the target-specific part, so both are read from it. Target names are short
        // ("bpf_sk_storage_map" is the longest); 64 covers a kernel that did not report the length.
        uint length = first.IterTargetNameLen != 0 ? first.IterTargetNameLen : 64;
        byte[] name = new byte[length];
        var info = new BpfLinkInfo();
        fixed (byte* n = name)
        {
            info.IterTargetName = (ulong)n;
            info.IterTargetNameLen = length;
            BpfSyscall.GetInfo(fd, ref info);
        }
        string target = ReadString(name);
        result = result with { IteratorTarget = target };
        if (target is "cgroup") return result with { CgroupId = info.IterCgroupCgroupId, IteratorOrder = info.IterCgroupOrder };
        if (target.StartsWith("task", StringComparison.Ordinal)) return result with { ThreadId = info.IterTaskTid, ProcessId = info.IterTaskPid };
        if (info.IterMapMapId != 0) return result with { MapId = info.IterMapMapId };
        return result;
    }

    static LinkInfo PerfEvent(BpfFileDescriptor fd, in BpfLinkInfo first, LinkInfo result)
    {
        var kind = (BpfPerfEventType)first.PerfEventType;
        result = result with { PerfEventType = kind };
        switch (kind)
        {
            case BpfPerfEventType.Uprobe or BpfPerfEventType.Uretprobe:
            {
                BpfLinkInfo info = WithName(fd, first.PerfEventUprobeNameLen, out string path);
                return result with
                {
                    Path = path,
                    Offset = info.PerfEventUprobeOffset,
                    RefCounterOffset = info.PerfEventUprobeRefCtrOffset,
                    Cookie = info.PerfEventUprobeCookie,
                };
            }
            case BpfPerfEventType.Kprobe or BpfPerfEventType.Kretprobe:
            {
                BpfLinkInfo info = WithName(fd, first.PerfEventKprobeNameLen, out string function);
                return result with
                {
                    FunctionName = function,
                    Offset = info.PerfEventKprobeOffset,
                    Address = info.PerfEventKprobeAddr,
                    Missed = info.PerfEventKprobeMissed,
                    Cookie = info.PerfEventKprobeCookie,
                };
            }
            case BpfPerfEventType.Tracepoint:
            {
                BpfLinkInfo info = WithName(fd, first.PerfEventTracepointNameLen, out string name);
                return result with { TracepointName = name, Cookie = info.PerfEventTracepointCookie };
            }
            case BpfPerfEventType.Event:
                return result with
                {
                    EventType = (PerfType)first.PerfEventEventType,
                    EventConfig = first.PerfEventEventConfig,
                    Cookie = first.PerfEventEventCookie,
                };
            default:
                return result;
        }
    }

    /// <summary>
    /// Reads the info again with a name buffer (uprobe file, kprobe function and tracepoint name share the same place
    /// in the union). Kernels before 6.12 do not report the length on the first call: then a PATH_MAX buffer is offered.
    /// </summary>
    static BpfLinkInfo WithName(BpfFileDescriptor fd, uint reportedLength, out string name)
    {
        uint length = reportedLength != 0 ? reportedLength : PathMax;
        byte[] buffer = new byte[length];
        var info = new BpfLinkInfo();
        fixed (byte* b = buffer)
        {
            info.PerfEventUprobeFileName = (ulong)b;
            info.PerfEventUprobeNameLen = length;
            BpfSyscall.GetInfo(fd, ref info);
        }
        name = ReadString(buffer);
        return info;
    }

    static LinkInfo KprobeMulti(BpfFileDescriptor fd, in BpfLinkInfo first, LinkInfo result)
    {
        uint count = first.KprobeMultiCount;
        ulong[] addresses = new ulong[count], cookies = new ulong[count];
        BpfLinkInfo info = first;
        if (count > 0)
        {
            fixed (ulong* a = addresses)
            fixed (ulong* c = cookies)
            {
                info = new BpfLinkInfo { KprobeMultiAddrs = (ulong)a, KprobeMultiCookies = (ulong)c, KprobeMultiCount = count };
                BpfSyscall.GetInfo(fd, ref info);
            }
        }
        return result with { Addresses = addresses, Cookies = cookies, Flags = info.KprobeMultiFlags, Missed = info.KprobeMultiMissed };
    }

    static LinkInfo UprobeMulti(BpfFileDescriptor fd, in BpfLinkInfo first, LinkInfo result)
    {
        uint count = first.UprobeMultiCount;
        ulong[] offsets = new ulong[count], refCounters = new ulong[count], cookies = new ulong[count];
        byte[] path = new byte[PathMax];
        var info = new BpfLinkInfo();
        fixed (byte* p = path)
        fixed (ulong* o = offsets)
        fixed (ulong* r = refCounters)
        fixed (ulong* c = cookies)
        {
            info.UprobeMultiPath = (ulong)p;
            info.UprobeMultiPathSize = (uint)path.Length;
            if (count > 0)
            {
                info.UprobeMultiOffsets = (ulong)o;
                info.UprobeMultiRefCtrOffsets = (ulong)r;
                info.UprobeMultiCookies = (ulong)c;
                info.UprobeMultiCount = count;
            }
            BpfSyscall.GetInfo(fd, ref info);
        }
        return result with
        {
            Path = ReadString(path),
            Offsets = offsets,
            RefCounterOffsets = refCounters,
            Cookies = cookies,
            Flags = info.UprobeMultiFlags,
            ProcessId = info.UprobeMultiPid,
        };
    }

    static string ReadString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
