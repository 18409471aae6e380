using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace SyscallCounter;

/// <summary>A process name: the kernel's 16-byte <c>comm</c>.</summary>
[InlineArray(16)]
public struct Comm16
{
    byte _element;
}

/// <summary>What the kernel side records per process.</summary>
public struct ProcessStats
{
    public ulong Syscalls;
    public ulong LastSeenNs;
    public Comm16 Comm;
}

/// <summary>The eBPF side, in C#: every system call entry, counted per process.</summary>
[BpfModule(License = "GPL")]
public sealed class SyscallCounterModule
{
    [Map(MaxEntries = 10240)] public static HashMap<uint, ProcessStats> ByProcess = null!;

    /// <summary>Every system call seen (a .bss global the user side reads while the program runs).</summary>
    public static ulong Total;

    /// <summary>Set before loading to count one process only (.rodata); 0 counts all.</summary>
    public static readonly uint OnlyPid;

    [RawTracepoint("sys_enter")]
    public static int OnSysEnter(ref TracingArgs args)
    {
        uint pid = (uint)(Helpers.GetCurrentPidTgid() >> 32);
        if (OnlyPid != 0 && pid != OnlyPid) return 0;
        Interlocked.Increment(ref Total);

        ref ProcessStats stats = ref ByProcess.Lookup(pid);
        if (Unsafe.IsNullRef(ref stats))
        {
            var first = new ProcessStats { Syscalls = 1, LastSeenNs = Helpers.KtimeGetNs() };
            Helpers.GetCurrentComm(ref first.Comm);
            ByProcess.Update(pid, first);
            return 0;
        }
        Interlocked.Increment(ref stats.Syscalls);
        stats.LastSeenNs = Helpers.KtimeGetNs();
        return 0;
    }
}
