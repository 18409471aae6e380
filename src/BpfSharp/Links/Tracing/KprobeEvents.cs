using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>
/// Opening kprobe perf events: through the kprobe PMU (<c>/sys/bus/event_source/devices/kprobe</c>, kernels 4.17+),
/// else through tracefs' <c>kprobe_events</c> (a named probe created for the link and removed after it).
/// </summary>
static unsafe class KprobeEvents
{
    const string PmuDirectory = "/sys/bus/event_source/devices/kprobe";
    static int probeCounter;

    /// <summary>
    /// Opens a kprobe (or kretprobe) event on <paramref name="function"/>+<paramref name="offset"/> for every process; the
    /// returned cleanup (non-null for a tracefs probe) removes what was created once the event fd is closed.
    /// </summary>
    public static BpfFileDescriptor Open(string function, ulong offset, bool isReturn, ISyscalls syscalls, out Action? cleanup)
    {
        cleanup = null;
        if (File.Exists(Path.Combine(PmuDirectory, "type")))
            return OpenWithPmu(function, offset, isReturn, syscalls);
        string? tracefs = Tracefs.Root;
        string? events = tracefs is null ? null : Path.Combine(tracefs, "kprobe_events");
        if (events is null || !File.Exists(events))
            throw new BpfNotSupportedException(
                $"cannot attach a {(isReturn ? "kretprobe" : "kprobe")} to '{function}': this kernel has no kprobe PMU ({PmuDirectory} does not exist) " +
                (tracefs is null
                    ? "and tracefs is not mounted, so there is no kprobe_events either (mount -t tracefs nodev /sys/kernel/tracing, then retry)."
                    : $"and no kprobe_events in tracefs ({events} does not exist), as a kernel built without CONFIG_KPROBE_EVENTS: kprobes cannot be attached here (kprobe programs still load; use a tracepoint, raw_tp or tp_btf program instead)."));
        return OpenWithTracefs(tracefs!, events, function, offset, isReturn, syscalls, out cleanup);
    }

    static BpfFileDescriptor OpenWithPmu(string function, ulong offset, bool isReturn, ISyscalls syscalls)
    {
        uint type = uint.Parse(File.ReadAllText(Path.Combine(PmuDirectory, "type")).Trim());
        var attr = new PerfEventAttr { Type = type, Config2 = offset };
        if (isReturn) attr.Config |= 1ul << RetprobeBit();
        fixed (byte* name = BpfSyscall.NullTerminated(function))
        {
            attr.Config1 = (ulong)name; // kprobe_func
            return PerfEventFile.Open(ref attr, pid: -1, cpu: 0,
                $"opening {(isReturn ? "kretprobe" : "kprobe")} on '{function}'{(offset != 0 ? $"+0x{offset:x}" : "")} through the kprobe PMU", syscalls);
        }
    }

    /// <summary>The config bit that makes a kprobe PMU event a return probe, from its format file ("config:0").</summary>
    static int RetprobeBit()
    {
        string path = Path.Combine(PmuDirectory, "format", "retprobe");
        string text = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        return text.StartsWith("config:", StringComparison.Ordinal) && int.TryParse(text["config:".Length..], out int bit) ? bit
            : throw new BpfNotSupportedException($"this kernel's kprobe PMU does not say how to ask for a return probe ({path} holds '{text}', expected 'config:N').");
    }

    static BpfFileDescriptor OpenWithTracefs(string tracefs, string events, string function, ulong offset, bool isReturn, ISyscalls syscalls, out Action? cleanup)
    {
        string group = isReturn ? "kretprobes" : "kprobes";
        string name = $"bpfsharp_{Environment.ProcessId}_{Interlocked.Increment(ref probeCounter)}_{Sanitize(function)}";
        string definition = $"{(isReturn ? 'r' : 'p')}:{group}/{name} {function}+0x{offset:x}";
        try
        {
            File.AppendAllText(events, definition + "\n");
        }
        catch (IOException e)
        {
            // On Linux an IOException from a write carries the errno in HResult.
            throw new BpfSyscallException("write", e.HResult is > 0 and < 4096 ? e.HResult : (int)Errno.EINVAL,
                $"the kernel refused the probe definition '{definition}': no such function, or it cannot be probed (see {events} and the kernel log). {e.Message}",
                $"creating a kprobe in {events}");
        }
        cleanup = () => RemoveProbe(events, group, name);
        try
        {
            ulong id = Tracefs.TracepointId(group, name);
            var attr = new PerfEventAttr { Type = (uint)PerfType.Tracepoint, Config = id };
            return PerfEventFile.Open(ref attr, pid: -1, cpu: 0, $"opening kprobe event '{group}/{name}' on '{function}'", syscalls);
        }
        catch
        {
            cleanup();
            cleanup = null;
            throw;
        }
    }

    static void RemoveProbe(string events, string group, string name)
    {
        try { File.AppendAllText(events, $"-:{group}/{name}\n"); }
        catch (IOException) { } // already gone (removed by hand, or the kernel refused: nothing more to do on close)
    }

    static string Sanitize(string function)
    {
        Span<char> chars = function.Length <= 64 ? stackalloc char[function.Length] : new char[function.Length];
        for (int i = 0; i < function.Length; i++)
            chars[i] = char.IsAsciiLetterOrDigit(function[i]) ? function[i] : '_';
        return new string(chars);
    }
}
