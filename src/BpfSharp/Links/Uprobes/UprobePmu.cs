using System.Globalization;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Links.Uprobes;

/// <summary>
/// The kernel's <c>uprobe</c> performance monitoring unit, as sysfs describes it: its perf type number, which config bit
/// makes a probe a return probe, and where in <c>config</c> the reference-counter (USDT semaphore) offset goes.
/// perf_event_open on this PMU creates a uprobe without touching tracefs.
/// </summary>
public sealed record UprobePmu(uint Type, int RetprobeBit, int RefCounterShift, int RefCounterBits)
{
    const string Root = "/sys/bus/event_source/devices/uprobe";

    static readonly Lazy<UprobePmu> current = new(Read);

    /// <summary>This kernel's uprobe PMU.</summary>
    /// <exception cref="BpfNotSupportedException">The kernel has no uprobe PMU (built without <c>CONFIG_UPROBE_EVENTS</c>).</exception>
    public static UprobePmu Current => current.Value;

    /// <summary>True when the kernel manages USDT semaphores (reference counters) itself (Linux 4.20+).</summary>
    public bool SupportsRefCounter => RefCounterBits > 0;

    static UprobePmu Read()
    {
        string typeFile = $"{Root}/type";
        if (!File.Exists(typeFile))
            throw new BpfNotSupportedException(
                $"this kernel has no uprobe PMU ({Root} is missing): it was built without CONFIG_UPROBE_EVENTS, so uprobes, uretprobes and USDT probes cannot be attached.");
        uint type = uint.Parse(File.ReadAllText(typeFile).Trim(), CultureInfo.InvariantCulture);
        (int retprobe, _) = ReadFormat("retprobe") ?? (0, 1);
        (int shift, int bits) = ReadFormat("ref_ctr_offset") ?? (0, 0);
        return new UprobePmu(type, retprobe, shift, bits);
    }

    /// <summary>Parses a sysfs format file such as <c>config:0</c> or <c>config:32-63</c> into (first bit, bit count).</summary>
    internal static (int Shift, int Bits)? ParseFormat(string text)
    {
        text = text.Trim();
        if (!text.StartsWith("config:", StringComparison.Ordinal)) return null;
        string range = text["config:".Length..];
        int dash = range.IndexOf('-');
        int low = int.Parse(dash < 0 ? range : range[..dash], CultureInfo.InvariantCulture);
        int high = dash < 0 ? low : int.Parse(range[(dash + 1)..], CultureInfo.InvariantCulture);
        return (low, high - low + 1);
    }

    static (int, int)? ReadFormat(string field)
    {
        string path = $"{Root}/format/{field}";
        return File.Exists(path) ? ParseFormat(File.ReadAllText(path)) : null;
    }

    /// <summary>
    /// Opens a uprobe perf event on the instruction at <paramref name="fileOffset"/> of <paramref name="path"/>. A
    /// <paramref name="pid"/> limits it to that process (any CPU); null watches every process (the uprobe PMU ignores
    /// the CPU then, so CPU 0 stands for all).
    /// </summary>
    public unsafe BpfFileDescriptor Open(string path, ulong fileOffset, bool retprobe, ulong refCounterOffset, int? pid, ISyscalls? syscalls = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ulong config = retprobe ? 1UL << RetprobeBit : 0;
        if (refCounterOffset != 0)
        {
            if (!SupportsRefCounter)
                throw new BpfNotSupportedException("this kernel's uprobe PMU has no ref_ctr_offset field (Linux 4.20+): USDT semaphores cannot be managed.");
            if (RefCounterBits < 64 && refCounterOffset >> RefCounterBits != 0)
                throw new ArgumentOutOfRangeException(nameof(refCounterOffset), refCounterOffset,
                    $"the uprobe PMU keeps the reference-counter offset in {RefCounterBits} bits of config (bits {RefCounterShift}-{RefCounterShift + RefCounterBits - 1}).");
            config |= refCounterOffset << RefCounterShift;
        }
        fixed (byte* p = BpfSyscall.NullTerminated(path))
        {
            var attr = new PerfEventAttr
            {
                Type = Type,
                Config = config,
                UprobePath = (ulong)p,
                ProbeOffset = fileOffset,
            };
            string what = $"opening a {(retprobe ? "uretprobe" : "uprobe")} on '{path}' at file offset 0x{fileOffset:x}" +
                          (refCounterOffset != 0 ? $" with semaphore at 0x{refCounterOffset:x}" : "") +
                          (pid is { } id ? $" for process {id}" : " for every process");
            return PerfEventFile.Open(ref attr, pid ?? -1, pid is null ? 0 : -1, what, syscalls);
        }
    }
}
