using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed unsafe partial class BpfLink
{
    /// <summary>
    /// Attaches a BTF-targeted program to the target it was loaded against (its <c>attach_btf_id</c>): tp_btf, fentry,
    /// fexit, fmod_ret, lsm, or freplace loaded with a target program. Without a cookie this is BPF_RAW_TRACEPOINT_OPEN with
    /// no name, which fits every such program; a <paramref name="cookie"/> needs BPF_LINK_CREATE, which must be told the
    /// program's expected attach type (<paramref name="attachType"/>, e.g. <see cref="BpfAttachType.TraceFentry"/>).
    /// </summary>
    public static BpfLink Tracing(BpfProgram program, BpfAttachType? attachType = null, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        string what = attachType is { } t ? $"{program} at its BTF target ({t})" : $"{program} at its BTF target";
        using FdLease p = program.Fd.Lease();
        if (attachType is null)
        {
            if (cookie != 0)
                throw new ArgumentException("a cookie on a tracing link needs BPF_LINK_CREATE, which needs the program's expected attach type: pass attachType.", nameof(attachType));
            var open = new RawTracepointOpenAttr { ProgFd = p.UFd };
            return new BpfLink(BpfSyscall.InvokeForFd(program.Fd.Syscalls, BpfCommand.RawTracepointOpen, ref open, $"attaching {what}"), what);
        }
        var attr = new LinkCreateAttr { ProgFd = p.UFd, AttachType = (uint)attachType.Value, TracingCookie = cookie };
        return new BpfLink(BpfSyscall.InvokeForFd(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr, $"attaching {what}"), what);
    }

    /// <summary>
    /// Attaches a freplace (BPF_PROG_TYPE_EXT) program in place of global function <paramref name="function"/> of
    /// <paramref name="target"/>, a loaded program with BTF. The function is looked up in the target's BTF.
    /// </summary>
    public static BpfLink Freplace(BpfProgram program, BpfProgram target, string function)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(function);
        uint btfId = FunctionInProgramBtf(target, function);
        string what = $"{program} replacing '{function}' of {target}";
        using FdLease p = program.Fd.Lease();
        using FdLease t = target.Fd.Lease();
        var attr = new LinkCreateAttr { ProgFd = p.UFd, TargetFd = t.UFd, TargetBtfId = btfId };
        return new BpfLink(BpfSyscall.InvokeForFd(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr, $"attaching {what}"), what);
    }

    /// <summary>The BTF id of FUNC <paramref name="function"/> in the BTF <paramref name="program"/> was loaded with.</summary>
    static uint FunctionInProgramBtf(BpfProgram program, string function)
    {
        uint btfId = program.GetInfo().BtfId;
        if (btfId == 0)
            throw new ArgumentException($"{program} was loaded without BTF, so freplace cannot name its function '{function}'.", nameof(program));
        using BtfHandle handle = BtfHandle.FromId(btfId, program.Fd.Syscalls);
        var info = new BpfBtfInfo();
        BpfSyscall.GetInfo(handle.Fd, ref info);
        byte[] blob = new byte[info.BtfSize];
        fixed (byte* b = blob)
        {
            var second = new BpfBtfInfo { Btf = (ulong)b, BtfSize = (uint)blob.Length };
            BpfSyscall.GetInfo(handle.Fd, ref second);
        }
        return BtfSpec.Parse(blob).Find(function, BtfKind.Func)?.Id
            ?? throw new ArgumentException($"{program} has no function '{function}' in its BTF (freplace replaces a global function of the target).", nameof(function));
    }
}
