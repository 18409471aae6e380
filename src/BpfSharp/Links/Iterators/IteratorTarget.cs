using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;

namespace BpfSharp.Links;

/// <summary>
/// What an iterator link walks, when its kind takes a parameter (<c>union bpf_iter_link_info</c>): the map of a
/// bpf_map_elem (or sockmap, sk_storage) iterator, the process or thread of a task iterator, the cgroup and walk order of a
/// cgroup iterator. The default walks everything (every task, every map …).
/// </summary>
public readonly record struct IteratorTarget
{
    enum Kind { Everything, Map, Process, Thread, ProcessFd, CgroupFd, CgroupId }

    readonly Kind kind;
    readonly BpfMap? map;
    readonly BpfFileDescriptor? fd;
    readonly ulong value;
    readonly CgroupIterOrder order;

    IteratorTarget(Kind kind, BpfMap? map = null, BpfFileDescriptor? fd = null, ulong value = 0, CgroupIterOrder order = default)
    {
        this.kind = kind;
        this.map = map;
        this.fd = fd;
        this.value = value;
        this.order = order;
    }

    /// <summary>Every object of the iterator's kind.</summary>
    public static IteratorTarget Everything => default;

    /// <summary>The elements of <paramref name="map"/> (iter/bpf_map_elem, iter/sockmap, iter/bpf_sk_storage_map).</summary>
    public static IteratorTarget Map(BpfMap map) => new(Kind.Map, map: map ?? throw new ArgumentNullException(nameof(map)));

    /// <summary>The threads of process <paramref name="pid"/> (task, task_file and task_vma iterators).</summary>
    public static IteratorTarget Process(int pid) => new(Kind.Process, value: Positive(pid, nameof(pid)));

    /// <summary>Thread <paramref name="tid"/> alone.</summary>
    public static IteratorTarget Thread(int tid) => new(Kind.Thread, value: Positive(tid, nameof(tid)));

    /// <summary>The threads of the process a pidfd (pidfd_open(2)) refers to.</summary>
    public static IteratorTarget ProcessFd(BpfFileDescriptor pidFd) => new(Kind.ProcessFd, fd: pidFd ?? throw new ArgumentNullException(nameof(pidFd)));

    /// <summary>Cgroups from the cgroup directory <paramref name="cgroupDirectory"/> (see <see cref="Cgroup.Open"/>) in <paramref name="order"/>.</summary>
    public static IteratorTarget Cgroup(BpfFileDescriptor cgroupDirectory, CgroupIterOrder order = CgroupIterOrder.SelfOnly) =>
        new(Kind.CgroupFd, fd: cgroupDirectory ?? throw new ArgumentNullException(nameof(cgroupDirectory)), order: order);

    /// <summary>Cgroups from the cgroup with id <paramref name="cgroupId"/> (its inode number) in <paramref name="order"/>.</summary>
    public static IteratorTarget Cgroup(ulong cgroupId, CgroupIterOrder order = CgroupIterOrder.SelfOnly) =>
        new(Kind.CgroupId, value: cgroupId, order: order);

    static ulong Positive(int id, string name) => id > 0 ? (ulong)id : throw new ArgumentOutOfRangeException(name, "a process or thread id is positive.");

    /// <summary>True for <see cref="Everything"/>: the link is created without iter_info.</summary>
    internal bool IsEverything => kind == Kind.Everything;

    /// <summary>
    /// Fills <paramref name="info"/> while the fds it names are leased; the caller keeps the returned leases'
    /// owner alive until the system call returned.
    /// </summary>
    internal SafeHandleLease Fill(ref BpfIterLinkInfo info)
    {
        switch (kind)
        {
            case Kind.Map:
                var mapLease = new SafeHandleLease(map!.Fd);
                info.MapMapFd = (uint)mapLease.Fd;
                return mapLease;
            case Kind.Process:
                info.TaskPid = (uint)value;
                return default;
            case Kind.Thread:
                info.TaskTid = (uint)value;
                return default;
            case Kind.ProcessFd:
                var pidLease = new SafeHandleLease(fd!);
                info.TaskPidFd = (uint)pidLease.Fd;
                return pidLease;
            case Kind.CgroupFd:
                var cgroupLease = new SafeHandleLease(fd!);
                info.CgroupCgroupFd = (uint)cgroupLease.Fd;
                info.CgroupOrder = (uint)order;
                return cgroupLease;
            case Kind.CgroupId:
                info.CgroupCgroupId = value;
                info.CgroupOrder = (uint)order;
                return default;
            default:
                return default;
        }
    }

    public override string ToString() => kind switch
    {
        Kind.Map => $"map {map}",
        Kind.Process => $"process {value}",
        Kind.Thread => $"thread {value}",
        Kind.ProcessFd => $"pidfd {fd?.RawValue}",
        Kind.CgroupFd => $"cgroup fd {fd?.RawValue} ({order})",
        Kind.CgroupId => $"cgroup {value} ({order})",
        _ => "everything",
    };
}

/// <summary>A reference held on a SafeHandle (so its fd stays open) that a struct can carry, unlike <see cref="FdLease"/>.</summary>
readonly struct SafeHandleLease : IDisposable
{
    readonly System.Runtime.InteropServices.SafeHandle? owner;

    public SafeHandleLease(System.Runtime.InteropServices.SafeHandle owner)
    {
        bool added = false;
        owner.DangerousAddRef(ref added);
        this.owner = owner;
        Fd = (int)owner.DangerousGetHandle();
    }

    public int Fd { get; }

    public void Dispose() => owner?.DangerousRelease();
}
