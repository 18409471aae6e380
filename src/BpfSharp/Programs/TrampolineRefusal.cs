using BpfSharp.Abi;

namespace BpfSharp.Programs;

/// <summary>
/// Why BPF_PROG_LOAD of a trampoline-based program (fentry, fexit, fmod_ret, lsm, freplace) fails with EPERM and no
/// verifier log. libbpf blames RLIMIT_MEMLOCK ("ulimit -l"), which has not limited BPF since 5.11; when the process has
/// the capabilities these programs need, the kernel itself refuses trampolines (a sandboxed or locked-down kernel).
/// </summary>
static class TrampolineRefusal
{
    const int CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

    /// <summary>The sentence for the exception, or null when the refusal is not of this kind.</summary>
    public static string? Explain(BpfProgramType type, BpfAttachType? expectedAttachType, int errno, string log)
    {
        if (errno != (int)Errno.EPERM || log.Length != 0 || !IsTrampolineBased(type, expectedAttachType)) return null;
        if (EffectiveCapabilities() is { } caps && !Has(caps, CapSysAdmin) && !(Has(caps, CapBpf) && Has(caps, CapPerfmon)))
            return "Trampoline-based programs (fentry/fexit/fmod_ret/lsm/freplace) need CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), " +
                "which this process lacks: run it as root or grant those capabilities.";
        return "This kernel refuses trampoline-based programs (fentry/fexit/fmod_ret/lsm/freplace): BPF_PROG_LOAD returned EPERM " +
            "with an empty verifier log; not a memlock limit (BPF memory is charged to the memory cgroup since Linux 5.11, so " +
            "'ulimit -l' changes nothing) nor missing capabilities (this process has CAP_BPF and CAP_PERFMON). A sandboxed or " +
            "locked-down kernel does this; use a tracepoint, raw_tp or tp_btf program instead.";
    }

    static bool IsTrampolineBased(BpfProgramType type, BpfAttachType? attachType) => type switch
    {
        BpfProgramType.Tracing => attachType is BpfAttachType.TraceFentry or BpfAttachType.TraceFexit or BpfAttachType.ModifyReturn,
        BpfProgramType.Lsm or BpfProgramType.Ext => true,
        _ => false,
    };

    static bool Has(ulong caps, int capability) => (caps & (1ul << capability)) != 0;

    /// <summary>The CapEff mask from /proc/self/status, or null when it cannot be read.</summary>
    static ulong? EffectiveCapabilities()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                    return Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return null;
    }
}
