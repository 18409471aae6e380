using System.Runtime.CompilerServices;
using BpfSharp.Kernel;

namespace OpenSnoop;

/// <summary>A file name as the kernel hands it over: up to 255 bytes and a terminating zero.</summary>
[InlineArray(256)]
public struct FileName
{
    byte _element;
}

/// <summary>A process name: the kernel's 16-byte <c>comm</c>.</summary>
[InlineArray(16)]
public struct Comm16
{
    byte _element;
}

/// <summary>One openat(2) as the kernel side reports it through the ring buffer.</summary>
public struct OpenEvent
{
    public uint Pid;
    public int Flags;
    public ulong TimeNs;
    public Comm16 Comm;
    public FileName File;
}

/// <summary>The format of the <c>syscalls/sys_enter_openat</c> tracepoint (see its <c>format</c> file in tracefs).</summary>
public unsafe struct SysEnterOpenat
{
    public TracepointCommon Common;
    public int SyscallNumber;
    public long Dfd;
    public byte* FileName;
    public long Flags;
    public long Mode;
}

/// <summary>The eBPF side, in C#: every openat(2), reported with its process and file name.</summary>
[BpfModule(License = "GPL")]
public sealed unsafe class OpenSnoopModule
{
    [Map(MaxEntries = 256 * 1024)] public static RingBuf Events = null!;

    /// <summary>Set before loading to watch one process only (.rodata); 0 watches all.</summary>
    public static readonly uint OnlyPid;

    /// <summary>openat calls seen (a .bss global the user side reads live through its mapping).</summary>
    public static ulong Seen;

    /// <summary>Events lost because the ring was full.</summary>
    public static ulong Dropped;

    [Tracepoint("syscalls", "sys_enter_openat")]
    public static int OnOpenat(ref SysEnterOpenat args)
    {
        uint pid = (uint)(Helpers.GetCurrentPidTgid() >> 32);
        if (OnlyPid != 0 && pid != OnlyPid) return 0;
        Interlocked.Increment(ref Seen);

        ref OpenEvent e = ref Events.Reserve<OpenEvent>();
        if (Unsafe.IsNullRef(ref e))
        {
            Interlocked.Increment(ref Dropped);
            return 0;
        }
        e.Pid = pid;
        e.Flags = (int)args.Flags;
        e.TimeNs = Helpers.KtimeGetNs();
        Helpers.GetCurrentComm(ref e.Comm);
        Helpers.ProbeReadUserStr(ref e.File, args.FileName);
        Events.Submit(ref e);
        return 0;
    }
}
