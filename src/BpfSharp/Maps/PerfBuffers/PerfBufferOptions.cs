namespace BpfSharp.Maps.PerfBuffers;

/// <summary>
/// How a <see cref="PerfBufferReader"/> sets up its per-CPU rings: their size, when the kernel wakes a waiting
/// reader, which CPUs it covers, and who hears about lost samples.
/// </summary>
public sealed record PerfBufferOptions
{
    /// <summary>
    /// Data pages of each CPU's ring (a power of two; the kernel maps one more page for the header). 64 pages are
    /// 256 KiB per CPU with 4 KiB pages. A sample that does not fit in the free space is dropped and counted as lost.
    /// </summary>
    public int PagesPerCpu { get; init; } = 64;

    /// <summary>
    /// Wake a waiting reader after this many samples on a CPU (perf's <c>wakeup_events</c>; libbpf uses 1). The kernel
    /// also wakes when half of a ring has filled since the last wakeup. Leave null (meaning 1) when
    /// <see cref="WakeupWatermark"/> is set: the two are exclusive.
    /// </summary>
    public uint? WakeupEvents { get; init; }

    /// <summary>
    /// Wake a waiting reader only once this many bytes (records with their headers) are waiting in a CPU's ring
    /// (perf's <c>wakeup_watermark</c>). Fewer wakeups are much cheaper on busy systems; records below the watermark
    /// stay in the ring until it is reached or until <see cref="PerfBufferReader.Consume(PerfSampleHandler)"/> runs.
    /// At most the ring's data size.
    /// </summary>
    public uint? WakeupWatermark { get; init; }

    /// <summary>
    /// The CPUs to read (each one's ring is stored in the map at the CPU's index). Null: every online CPU, as libbpf
    /// does; the map needs max_entries above the highest online CPU number.
    /// </summary>
    public IReadOnlyList<int>? Cpus { get; init; }

    /// <summary>Called with the CPU and the count whenever the kernel reports samples it had to drop (PERF_RECORD_LOST).</summary>
    public PerfLostHandler? LostHandler { get; init; }
}
