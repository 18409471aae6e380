using System.Runtime.InteropServices;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed partial class BpfLink
{
    /// <summary>
    /// Attaches a kprobe program to kernel function <paramref name="function"/> (at <paramref name="offset"/> bytes into
    /// it), or a kretprobe to its return when <paramref name="isReturn"/>: a perf event from the kprobe PMU, or from
    /// tracefs' kprobe_events on kernels without it, linked to the program.
    /// </summary>
    /// <exception cref="BpfNotSupportedException">The kernel has neither a kprobe PMU nor kprobe_events (CONFIG_KPROBE_EVENTS off).</exception>
    public static BpfLink Kprobe(BpfProgram program, string function, ulong offset = 0, bool isReturn = false, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrEmpty(function);
        if (isReturn && offset != 0)
            throw new ArgumentException("a kretprobe fires on the function's return: it takes no offset.", nameof(offset));
        string what = $"{program} at {(isReturn ? "kretprobe" : "kprobe")} '{function}'{(offset != 0 ? $"+0x{offset:x}" : "")}";
        BpfFileDescriptor perfEvent = KprobeEvents.Open(function, offset, isReturn, program.Fd.Syscalls, out Action? cleanup);
        return AttachToPerfEvent(program, perfEvent, cookie, what, cleanup);
    }

    /// <summary>
    /// Attaches a kprobe program to the entry (or, with <paramref name="isReturn"/>, the return) of system call
    /// <paramref name="syscall"/> (e.g. "openat"), like libbpf's ksyscall: the kernel function is the architecture's
    /// syscall wrapper (<c>__x64_sys_openat</c> on x86-64) when the kernel has one, else <c>sys_openat</c>.
    /// </summary>
    public static BpfLink Ksyscall(BpfProgram program, string syscall, bool isReturn = false, ulong cookie = 0) =>
        Kprobe(program, SyscallFunction(syscall), 0, isReturn, cookie);

    /// <summary>The kernel function behind system call <paramref name="syscall"/>, as <see cref="Ksyscall"/> probes it.</summary>
    public static string SyscallFunction(string syscall)
    {
        ArgumentException.ThrowIfNullOrEmpty(syscall);
        string? prefix = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "__x64_sys_",
            Architecture.X86 => "__ia32_sys_",
            Architecture.Arm64 => "__arm64_sys_",
            Architecture.Arm => "__arm_sys_",
            Architecture.S390x => "__s390x_sys_",
            Architecture.RiscV64 => "__riscv_sys_",
            Architecture.Ppc64le => "__powerpc64_sys_",
            _ => null,
        };
        string wrapped = prefix + syscall;
        return prefix != null && KernelSymbols.HasFunction(wrapped) ? wrapped : "sys_" + syscall;
    }
}
