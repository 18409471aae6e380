using BpfSharp.Abi;
using BpfSharp.Interop;
using BpfSharp.Maps;
using BpfSharp.Programs;

namespace BpfSharp.Links;

public sealed partial class BpfLink
{
    /// <summary>
    /// Opens a sampling software perf event (PERF_TYPE_SOFTWARE, e.g. <see cref="PerfSoftwareEvent.CpuClock"/>) and attaches a
    /// perf_event program to it: the program runs at every sample. <paramref name="pid"/> -1 with a <paramref name="cpu"/> ≥ 0
    /// samples every process on that CPU; a thread id with cpu -1 samples that thread on any CPU (perf events follow
    /// threads: the id of another thread of this process is not covered).
    /// </summary>
    public static BpfLink SoftwareEvent(BpfProgram program, PerfSoftwareEvent kind, PerfSampling sampling, int cpu, int pid = -1, ulong cookie = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (pid < 0 && cpu < 0)
            throw new ArgumentException("a perf event needs a CPU, a thread, or both: pid -1 with cpu -1 is not allowed.", nameof(cpu));
        var attr = new PerfEventAttr { Type = (uint)PerfType.Software, Config = (ulong)kind, SamplePeriod = sampling.Value };
        if (sampling.IsFrequency) attr.Freq = 1;
        string where = pid < 0 ? $"CPU {cpu}" : cpu < 0 ? $"thread {pid}" : $"thread {pid} on CPU {cpu}";
        string what = $"{program} on software event {kind} ({sampling}) for {where}";
        BpfFileDescriptor perfEvent = PerfEventFile.Open(ref attr, pid, cpu, $"opening software event {kind} for {where}", program.Fd.Syscalls);
        return AttachToPerfEvent(program, perfEvent, cookie, what, cleanup: null);
    }

    /// <summary>
    /// <see cref="SoftwareEvent"/> on every online CPU for every process: the system-wide sampling profiler's setup. The
    /// group is disposed as one; if one CPU fails, the links made so far are closed.
    /// </summary>
    public static LinkGroup SoftwareEventOnEachCpu(BpfProgram program, PerfSoftwareEvent kind, PerfSampling sampling, ulong cookie = 0) =>
        LinkGroup.Build(CpuList.Online(), cpu => SoftwareEvent(program, kind, sampling, cpu, pid: -1, cookie));
}
