using System.Runtime.InteropServices;
using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed unsafe partial class BpfLink
{
    /// <summary>
    /// Attaches a kprobe.multi program (loaded with expected attach type BPF_TRACE_KPROBE_MULTI, or
    /// BPF_TRACE_KPROBE_SESSION when <paramref name="session"/>) to many kernel functions at once through one fprobe link.
    /// <paramref name="cookies"/>, when given, has one value per function, read with <c>bpf_get_attach_cookie</c>.
    /// </summary>
    /// <exception cref="BpfSyscallException">EOPNOTSUPP: the kernel lacks fprobe (CONFIG_FPROBE), so kprobe.multi cannot attach here.</exception>
    public static BpfLink KprobeMulti(BpfProgram program, IReadOnlyList<string> functions, IReadOnlyList<ulong>? cookies = null,
        bool isReturn = false, bool session = false)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(functions);
        if (functions.Count == 0) throw new ArgumentException("kprobe.multi needs at least one function.", nameof(functions));
        var names = new byte[functions.Count][];
        for (int i = 0; i < names.Length; i++)
            names[i] = BpfSyscall.NullTerminated(functions[i] ?? throw new ArgumentException($"function {i} is null.", nameof(functions)));
        var handles = new GCHandle[names.Length];
        try
        {
            ulong[] pointers = new ulong[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                handles[i] = GCHandle.Alloc(names[i], GCHandleType.Pinned);
                pointers[i] = (ulong)handles[i].AddrOfPinnedObject();
            }
            string what = functions.Count == 1 ? $"'{functions[0]}'" : $"{functions.Count} functions ('{functions[0]}' …)";
            fixed (ulong* syms = pointers)
                return CreateKprobeMulti(program, (ulong)syms, 0, functions.Count, cookies, isReturn, session, what);
        }
        finally
        {
            foreach (GCHandle h in handles)
                if (h.IsAllocated) h.Free();
        }
    }

    /// <summary><see cref="KprobeMulti(BpfProgram, IReadOnlyList{string}, IReadOnlyList{ulong}?, bool, bool)"/> by kernel addresses (from /proc/kallsyms).</summary>
    public static BpfLink KprobeMulti(BpfProgram program, IReadOnlyList<ulong> addresses, IReadOnlyList<ulong>? cookies = null,
        bool isReturn = false, bool session = false)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0) throw new ArgumentException("kprobe.multi needs at least one address.", nameof(addresses));
        ulong[] addrs = [.. addresses];
        fixed (ulong* a = addrs)
            return CreateKprobeMulti(program, 0, (ulong)a, addrs.Length, cookies, isReturn, session, $"{addrs.Length} addresses (0x{addrs[0]:x} …)");
    }

    /// <summary>
    /// kprobe.multi on every traceable kernel function whose name matches <paramref name="pattern"/> ('*' and '?' wildcards,
    /// as in <c>SEC("kprobe.multi/do_sys_*")</c>). The names come from tracefs' available_filter_functions, or
    /// /proc/kallsyms when that cannot be read.
    /// </summary>
    public static BpfLink KprobeMulti(BpfProgram program, string pattern, bool isReturn = false, bool session = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        if (pattern.IndexOfAny(['*', '?']) < 0) return KprobeMulti(program, [pattern], null, isReturn, session);
        var matches = KernelSymbols.Functions(traceableOnly: true).Where(f => KernelSymbols.GlobMatches(pattern, f)).Distinct().ToList();
        if (matches.Count == 0)
            throw new ArgumentException($"no traceable kernel function matches '{pattern}'.", nameof(pattern));
        return KprobeMulti(program, matches, null, isReturn, session);
    }

    static BpfLink CreateKprobeMulti(BpfProgram program, ulong syms, ulong addrs, int count, IReadOnlyList<ulong>? cookies,
        bool isReturn, bool session, string what)
    {
        if (cookies != null && cookies.Count != count)
            throw new ArgumentException($"kprobe.multi takes one cookie per function: {cookies.Count} cookies for {count} functions.", nameof(cookies));
        if (session && isReturn)
            throw new ArgumentException("a kprobe.session program runs at entry and return already: it takes no return flag.", nameof(isReturn));
        ulong[] cookieValues = cookies is null ? [] : [.. cookies];
        string kind = session ? "kprobe.session" : isReturn ? "kretprobe.multi" : "kprobe.multi";
        what = $"{program} at {kind} {what}";
        using FdLease p = program.Fd.Lease();
        fixed (ulong* c = cookieValues)
        {
            var attr = new LinkCreateAttr
            {
                ProgFd = p.UFd,
                AttachType = (uint)(session ? BpfAttachType.TraceKprobeSession : BpfAttachType.TraceKprobeMulti),
                KprobeMultiFlags = isReturn ? (uint)KprobeMultiFlags.Return : 0,
                KprobeMultiCnt = (uint)count,
                KprobeMultiSyms = syms,
                KprobeMultiAddrs = addrs,
                KprobeMultiCookies = cookieValues.Length > 0 ? (ulong)c : 0,
            };
            int r = BpfSyscall.Invoke(program.Fd.Syscalls, BpfCommand.LinkCreate, ref attr);
            if (r >= 0) return new BpfLink(new BpfFileDescriptor(r, program.Fd.Syscalls), what);
            throw new BpfSyscallException(BpfCommand.LinkCreate, -r, $"attaching {what}", (Errno)(-r) switch
            {
                Errno.EOPNOTSUPP => $"this kernel does not support {kind} links: BPF_LINK_CREATE returned EOPNOTSUPP (it was built without " +
                    "CONFIG_FPROBE, or its architecture lacks fprobe). Attach kprobes one at a time, or use tracepoints, raw_tp or tp_btf.",
                Errno.ESRCH or Errno.ENOENT => "a function is not in the kernel, or cannot be traced (not listed in available_filter_functions).",
                _ => null,
            });
        }
    }
}
