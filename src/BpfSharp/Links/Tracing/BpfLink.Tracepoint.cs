using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed partial class BpfLink
{
    /// <summary>
    /// Attaches a tracepoint program to kernel tracepoint <paramref name="category"/>/<paramref name="name"/> (e.g.
    /// <c>"syscalls", "sys_enter_openat"</c>): opens a PERF_TYPE_TRACEPOINT event with the id from tracefs (every process,
    /// one event: the tracepoint fires on any CPU) and links the program to it.
    /// </summary>
    /// <exception cref="ArgumentException">No such tracepoint (the message names the tracefs path it looked at).</exception>
    /// <exception cref="BpfNotSupportedException">tracefs is not mounted.</exception>
    public static BpfLink Tracepoint(BpfProgram program, string category, string name, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        ulong id = Tracefs.TracepointId(category, name);
        string what = $"{program} at tracepoint '{category}/{name}'";
        var attr = new PerfEventAttr { Type = (uint)PerfType.Tracepoint, Config = id };
        BpfFileDescriptor perfEvent = PerfEventFile.Open(ref attr, pid: -1, cpu: 0, $"opening tracepoint '{category}/{name}' (id {id})", program.Fd.Syscalls);
        return AttachToPerfEvent(program, perfEvent, cookie, what, cleanup: null);
    }
}
