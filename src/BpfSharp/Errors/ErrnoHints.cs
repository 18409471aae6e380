using BpfSharp.Abi;

namespace BpfSharp;

/// <summary>The usual cause of an errno, per bpf(2) command: the sentence a user needs to fix the problem.</summary>
static class ErrnoHints
{
    public static string Explain(BpfCommand command, int errno) => (command, (Errno)errno) switch
    {
        (BpfCommand.ProgLoad, Errno.EPERM) =>
            "the process lacks CAP_BPF (plus CAP_PERFMON for tracing, CAP_NET_ADMIN for networking programs) — run as root — " +
            "or the kernel refuses this program type here (lockdown, or a sandbox that forbids trampolines: fentry/fexit/lsm load with EPERM and an empty log); " +
            "on kernels before 5.11 also raise RLIMIT_MEMLOCK.",
        (BpfCommand.LinkUpdate, Errno.EPERM) =>
            "the program given as the expected old one (BPF_F_REPLACE) is not the one the link holds, or the process lacks CAP_BPF.",
        (_, Errno.EPERM) =>
            "the process lacks CAP_BPF/CAP_SYS_ADMIN (run as root; unprivileged BPF is usually disabled), " +
            "or, on kernels before 5.11, RLIMIT_MEMLOCK is too low (ulimit -l unlimited).",
        (BpfCommand.ProgLoad, Errno.EACCES) =>
            "the verifier rejected the program; its log says which instruction and why.",
        (_, Errno.EACCES) =>
            "access denied: the object is read-only for this operation (frozen map, BPF_F_RDONLY map, or a pinned file opened without write permission).",
        (BpfCommand.MapCreate, Errno.EINVAL) =>
            "the kernel rejected an attribute of this map type: check key_size/value_size (some types demand exact sizes or 0), " +
            "max_entries (non-zero; a power of two for ringbuf), map_flags valid for this type, and BTF ids when the type needs BTF.",
        (BpfCommand.ProgLoad, Errno.EINVAL) =>
            "the kernel rejected an attribute: an unknown program type or expected_attach_type, a bad instruction encoding, " +
            "flags this kernel does not know, or BTF func/line info that does not match the instructions.",
        (BpfCommand.ProgLoad, Errno.E2BIG) =>
            "the program is too large or too complex (instruction count or verifier complexity limit).",
        (BpfCommand.MapUpdateElem, Errno.E2BIG) => "the map is full (max_entries reached) or the index is out of range.",
        (_, Errno.E2BIG) =>
            "an attribute is larger than this kernel understands (a newer field set to non-zero), or a size limit was exceeded " +
            "(max_entries, value size, batch count).",
        (BpfCommand.MapCreate, Errno.ENOMEM) or (BpfCommand.ProgLoad, Errno.ENOMEM) =>
            "the kernel could not allocate memory for the object (max_entries × value size too large, or memory cgroup limit).",
        (BpfCommand.MapUpdateElem, Errno.EEXIST) => "the key already exists and BPF_NOEXIST was given.",
        (BpfCommand.MapUpdateElem, Errno.ENOENT) => "the key does not exist and BPF_EXIST was given.",
        (BpfCommand.MapUpdateElem, Errno.ENOSPC) => "the map is full.",
        (_, Errno.ENOENT) when command is BpfCommand.ObjGet => "nothing is pinned at that path (is bpffs mounted at /sys/fs/bpf?).",
        (_, Errno.ENOENT) when command is BpfCommand.ProgGetFdById or BpfCommand.MapGetFdById or BpfCommand.LinkGetFdById or BpfCommand.BtfGetFdById =>
            "no object with that id exists (any more).",
        (_, Errno.ENOENT) => "no such element (key not found, or the end of the iteration).",
        (BpfCommand.ObjPin, Errno.EEXIST) => "a file already exists at the pin path; unpin (delete) it first.",
        (BpfCommand.ObjPin, Errno.EPERM) or (BpfCommand.ObjPin, Errno.EINVAL) =>
            "the pin path is not inside a bpffs mount (mount -t bpf bpf /sys/fs/bpf).",
        (_, Errno.EBADF) => "a file descriptor in the attributes is not open or is not a BPF object of the expected kind.",
        (_, Errno.EFAULT) => "a pointer in the attributes is invalid (a buffer too small for the key or value size).",
        (BpfCommand.LinkDetach, Errno.EOPNOTSUPP) =>
            "this link type has no explicit detach (raw tracepoint, tracing, perf event links …): close every fd of it and unpin it instead.",
        (BpfCommand.LinkUpdate, Errno.EOPNOTSUPP) =>
            "this link type cannot swap its program: detach it and create a new link.",
        (BpfCommand.ProgAttach, Errno.EINVAL) or (BpfCommand.LinkCreate, Errno.EINVAL) =>
            "the program's type (or expected_attach_type) does not fit this attach type, the target is of the wrong kind, " +
            "or the same program is already attached at this hook.",
        (_, Errno.EOPNOTSUPP) => "this kernel does not support this operation for this object type.",
        (_, (Errno)ErrnoNames.ENOTSUPP) => "this kernel does not support this operation for this object type.",
        (_, Errno.EBUSY) => "the object is in use (e.g. a hook already has a program attached without BPF_F_ALLOW_MULTI/REPLACE).",
        (_, Errno.ENOSPC) => "the log buffer or the map is too small.",
        (_, Errno.EINVAL) => "the kernel rejected an attribute of this command as invalid for this object type or kernel version.",
        _ => "see bpf(2) for this command.",
    };
}
