using System.Runtime.CompilerServices;

namespace BpfSharp.Kernel;

// Time, the current task, the CPU, random numbers, signals.
public static unsafe partial class Helpers
{
    /// <summary><c>bpf_ktime_get_ns</c> (5): monotonic time in ns, not counting suspend.</summary>
    [BpfHelper(5)]
    public static ulong KtimeGetNs() => throw new BpfOnlyException("Helpers.KtimeGetNs");

    /// <summary><c>bpf_ktime_get_boot_ns</c> (125): time since boot in ns, counting suspend.</summary>
    [BpfHelper(125)]
    public static ulong KtimeGetBootNs() => throw new BpfOnlyException("Helpers.KtimeGetBootNs");

    /// <summary><c>bpf_ktime_get_coarse_ns</c> (160): coarse monotonic time in ns (cheaper, jiffy resolution).</summary>
    [BpfHelper(160)]
    public static ulong KtimeGetCoarseNs() => throw new BpfOnlyException("Helpers.KtimeGetCoarseNs");

    /// <summary><c>bpf_ktime_get_tai_ns</c> (208): International Atomic Time in ns.</summary>
    [BpfHelper(208)]
    public static ulong KtimeGetTaiNs() => throw new BpfOnlyException("Helpers.KtimeGetTaiNs");

    /// <summary><c>bpf_jiffies64</c> (118): the 64-bit jiffies counter.</summary>
    [BpfHelper(118)]
    public static ulong Jiffies64() => throw new BpfOnlyException("Helpers.Jiffies64");

    /// <summary><c>bpf_get_current_pid_tgid</c> (14): <c>tgid &lt;&lt; 32 | pid</c> (the process id is the high half).</summary>
    [BpfHelper(14)]
    public static ulong GetCurrentPidTgid() => throw new BpfOnlyException("Helpers.GetCurrentPidTgid");

    /// <summary><c>bpf_get_current_uid_gid</c> (15): <c>gid &lt;&lt; 32 | uid</c>.</summary>
    [BpfHelper(15)]
    public static ulong GetCurrentUidGid() => throw new BpfOnlyException("Helpers.GetCurrentUidGid");

    /// <summary><c>bpf_get_current_comm</c> (16): the task's name, NUL-terminated, into <paramref name="buf"/> of <paramref name="size"/> bytes; 0 or a negative errno.</summary>
    [BpfHelper(16)]
    public static long GetCurrentComm(void* buf, uint size) => throw new BpfOnlyException("Helpers.GetCurrentComm");

    /// <summary>The task's name into <paramref name="buf"/> (e.g. a 16-byte <c>[InlineArray]</c>); 0 or a negative errno.</summary>
    public static long GetCurrentComm<T>(ref T buf) where T : unmanaged => GetCurrentComm(Unsafe.AsPointer(ref buf), (uint)sizeof(T));

    /// <summary><c>bpf_get_current_task</c> (35): the current <c>struct task_struct*</c> as an integer (read it with <see cref="ProbeReadKernel(void*, uint, void*)"/>).</summary>
    [BpfHelper(35)]
    public static ulong GetCurrentTask() => throw new BpfOnlyException("Helpers.GetCurrentTask");

    /// <summary><c>bpf_get_current_cgroup_id</c> (80): the current task's cgroup v2 id.</summary>
    [BpfHelper(80)]
    public static ulong GetCurrentCgroupId() => throw new BpfOnlyException("Helpers.GetCurrentCgroupId");

    /// <summary><c>bpf_get_smp_processor_id</c> (8): the CPU the program runs on.</summary>
    [BpfHelper(8)]
    public static uint GetSmpProcessorId() => throw new BpfOnlyException("Helpers.GetSmpProcessorId");

    /// <summary><c>bpf_get_numa_node_id</c> (42): the NUMA node the program runs on.</summary>
    [BpfHelper(42)]
    public static long GetNumaNodeId() => throw new BpfOnlyException("Helpers.GetNumaNodeId");

    /// <summary><c>bpf_get_prandom_u32</c> (7): a pseudo-random number (not cryptographic).</summary>
    [BpfHelper(7)]
    public static uint GetPrandomU32() => throw new BpfOnlyException("Helpers.GetPrandomU32");

    /// <summary><c>bpf_send_signal</c> (109): sends <paramref name="signal"/> to the current process; 0 or a negative errno.</summary>
    [BpfHelper(109)]
    public static long SendSignal(uint signal) => throw new BpfOnlyException("Helpers.SendSignal");

    /// <summary><c>bpf_send_signal_thread</c> (117): sends <paramref name="signal"/> to the current thread; 0 or a negative errno.</summary>
    [BpfHelper(117)]
    public static long SendSignalThread(uint signal) => throw new BpfOnlyException("Helpers.SendSignalThread");
}
