using BpfSharp.Abi;
using BpfSharp.Asm;
using BpfSharp.Interop;
using BpfSharp.Programs;
using static BpfSharp.Asm.Register;

namespace BpfSharp.Features;

/// <summary>Probes program types (load <c>r0 = 0; exit</c>) and helpers (load a call to the helper and read the verifier's verdict).</summary>
static class ProgramProbe
{
    /// <summary>The slot of the helper call in <see cref="HelperProgram"/>.</summary>
    const int CallSlot = 5;

    // Verifier messages that mean "this helper does not exist" or "not for this program type". Older kernels say
    // "unknown func", newer ones "program of this type cannot use helper"; "invalid func" is an id past the end.
    static readonly string[] HelperUnavailable = ["invalid func", "unknown func", "program of this type cannot use helper"];

    public static bool IsProgramTypeSupported(BpfProgramType type, ISyscalls syscalls)
    {
        Instruction[] code = [Instruction.Mov(R0, 0), Instruction.Exit()];
        try
        {
            using BpfProgram program = BpfProgram.Load(OptionsFor(type, code), syscalls);
            return true;
        }
        catch (BpfSyscallException e) when (e.Command == BpfCommand.ProgLoad)
        {
            string log = (e as BpfVerifierException)?.Log ?? "";
            int errno = (int)e.Errno;
            // EINVAL before the verifier ran (no log): the kernel has no such program type — provided the attach
            // type we chose is right for the type, which OptionsFor sees to.
            if (errno == (int)Errno.EINVAL && log.Length == 0) return false;
            // The verifier ran (it wrote a log), so the kernel knows the type: the complaint is about our
            // two-instruction program or its missing attach target (tracing/LSM/ext: "must provide btf_id").
            if (log.Length > 0 && errno is (int)Errno.EINVAL or (int)Errno.EACCES or MapProbe.ENOTSUPP) return true;
            // struct_ops without an attach target: the verifier's struct_ops check gives ENOTSUPP, which only a
            // kernel that knows the type reaches.
            if (type == BpfProgramType.StructOps && errno == MapProbe.ENOTSUPP) return true;
            throw;
        }
    }

    /// <summary>The helper probe: r1–r5 = 0, call the helper, r0 = 0, exit.</summary>
    static Instruction[] HelperProgram(BpfHelperId helper) =>
    [
        Instruction.Mov(R1, 0), Instruction.Mov(R2, 0), Instruction.Mov(R3, 0), Instruction.Mov(R4, 0), Instruction.Mov(R5, 0),
        Instruction.Call((int)helper),
        Instruction.Mov(R0, 0),
        Instruction.Exit(),
    ];

    public static bool IsHelperSupported(BpfProgramType type, BpfHelperId helper, ISyscalls syscalls)
    {
        try
        {
            using BpfProgram program = BpfProgram.Load(OptionsFor(type, HelperProgram(helper)) with { LogLevel = 1 }, syscalls);
            return true;
        }
        catch (BpfSyscallException e) when (e.Command == BpfCommand.ProgLoad)
        {
            string log = (e as BpfVerifierException)?.Log ?? "";
            if (Array.Exists(HelperUnavailable, m => log.Contains(m, StringComparison.Ordinal))) return false;
            if (e.Errno == Errno.EINVAL && log.Length == 0) return false;   // the program type itself is unknown
            // Any other verifier complaint at (or after) the call — wrong argument types, a sleepable-only helper,
            // GPL, a helper that needs a particular attach target — means the helper exists for this type.
            if (log.Length > 0 && VerifierLog.FailingInstruction(log) >= CallSlot) return true;
            if (log.Length > 0)
                throw new InvalidOperationException(
                    $"Cannot probe helper {HelperName(helper)} for {type} programs: the verifier stopped before the call " +
                    $"(a program of this type needs an attach target the probe cannot supply).", e);
            throw;
        }
    }

    internal static string HelperName(BpfHelperId helper) => BpfHelperNames.Get((int)helper) is { } n ? $"{n}#{(int)helper}" : $"helper #{(int)helper}";

    /// <summary>
    /// Load options that are valid for the type up to the program's body: the expected attach type the kernel demands
    /// for some types, sleepable for syscall programs, a raw tracepoint target (tp_btf) for tracing programs.
    /// </summary>
    internal static ProgramLoadOptions OptionsFor(BpfProgramType type, Instruction[] code)
    {
        var options = new ProgramLoadOptions { Type = type, Instructions = code, License = "GPL", Name = "probe" };
        switch (type)
        {
            case BpfProgramType.CgroupSock: return options with { ExpectedAttachType = BpfAttachType.CgroupInetSockCreate };
            case BpfProgramType.CgroupSockAddr: return options with { ExpectedAttachType = BpfAttachType.CgroupInet4Connect };
            case BpfProgramType.CgroupSkb: return options with { ExpectedAttachType = BpfAttachType.CgroupInetIngress };
            case BpfProgramType.CgroupSockopt: return options with { ExpectedAttachType = BpfAttachType.CgroupGetsockopt };
            case BpfProgramType.SkLookup: return options with { ExpectedAttachType = BpfAttachType.SkLookup };
            case BpfProgramType.SkReuseport: return options with { ExpectedAttachType = BpfAttachType.SkReuseportSelect };
            case BpfProgramType.Netfilter: return options with { ExpectedAttachType = BpfAttachType.Netfilter };
            case BpfProgramType.Syscall: return options with { Flags = ProgramLoadFlags.Sleepable };
            case BpfProgramType.Lsm: return options with { ExpectedAttachType = BpfAttachType.LsmMac };
            case BpfProgramType.Tracing:
                return ProbeBtf.RawTracepointTarget() is uint id
                    ? options with { ExpectedAttachType = BpfAttachType.TraceRawTp, AttachBtfId = id }
                    : options with { ExpectedAttachType = BpfAttachType.TraceRawTp };
            default: return options;
        }
    }
}
