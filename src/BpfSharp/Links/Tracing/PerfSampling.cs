namespace BpfSharp.Links;

/// <summary>
/// How often a sampling perf event runs its program: every <see cref="Value"/>-th occurrence (for the clock events a
/// period in nanoseconds), or <see cref="Value"/> times per second with the kernel adjusting the period.
/// </summary>
public readonly record struct PerfSampling
{
    PerfSampling(ulong value, bool isFrequency)
    {
        Value = value;
        IsFrequency = isFrequency;
    }

    public ulong Value { get; }

    /// <summary>True: <see cref="Value"/> is samples per second (perf_event_attr.freq); false: a period.</summary>
    public bool IsFrequency { get; }

    /// <summary>Every <paramref name="period"/>-th event (for PERF_COUNT_SW_CPU_CLOCK and TASK_CLOCK: every that many nanoseconds).</summary>
    public static PerfSampling EveryNth(ulong period) =>
        period > 0 ? new(period, false) : throw new ArgumentOutOfRangeException(nameof(period), "a sample period must be at least 1.");

    /// <summary><paramref name="frequency"/> samples per second (limited by kernel.perf_event_max_sample_rate).</summary>
    public static PerfSampling PerSecond(ulong frequency) =>
        frequency > 0 ? new(frequency, true) : throw new ArgumentOutOfRangeException(nameof(frequency), "a sample frequency must be at least 1 Hz.");

    public override string ToString() => IsFrequency ? $"{Value} Hz" : $"every {Value}";
}
