using BpfSharp.Interop;

namespace BpfSharp.Links;

/// <summary>
/// What a perf-event based link keeps alive besides its BPF link fd: the perf event fd (null when the link's own fd is
/// the perf event, as with the pre-5.15 ioctl attachment) and an optional cleanup run after it closes (a tracefs probe
/// this process created and must remove).
/// </summary>
sealed class PerfEventAttachment(BpfFileDescriptor? perfEvent, Action? cleanup, bool legacy) : IDisposable
{
    /// <summary>True when the program was attached with PERF_EVENT_IOC_SET_BPF: there is no BPF link to pin or query.</summary>
    public bool Legacy { get; } = legacy;

    public void Dispose()
    {
        perfEvent?.Dispose();
        cleanup?.Invoke();
    }
}
