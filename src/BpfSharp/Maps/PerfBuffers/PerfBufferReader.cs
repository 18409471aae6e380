using System.Diagnostics;
using System.Numerics;
using BpfSharp.Abi;
using BpfSharp.Interop;

namespace BpfSharp.Maps.PerfBuffers;

/// <summary>
/// Reads what programs write with <c>bpf_perf_event_output</c> into a <c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>: one perf
/// ring per CPU, each a <c>PERF_COUNT_SW_BPF_OUTPUT</c> event stored in the map at the CPU's index. Samples are handed
/// over in place (no copy, no allocation), per CPU in the order the kernel wrote them; there is no order across CPUs.
/// Samples that did not fit are counted per CPU (<see cref="LostSamples"/>).
/// One consumer at a time: calls from a second thread while one runs throw <see cref="InvalidOperationException"/>.
/// Disposing (from any thread) clears the map slots, disables the events, unmaps the rings and closes every fd.
/// </summary>
public sealed unsafe partial class PerfBufferReader : IDisposable
{
    const int ScratchSize = ushort.MaxValue + 1; // perf_event_header.size is 16 bits: no record is larger

    const string SingleConsumer =
        "A perf buffer reader has one consumer at a time: call Consume, Poll and ReadAllAsync from one thread at a time, never from inside a handler.";

    readonly BpfMap map;
    readonly bool mapReferenced;
    readonly PerfRing[] rings;
    readonly RingWaiter waiter;
    readonly EpollEvent[] ready;
    readonly byte[] scratch;
    readonly PerfLostHandler? lostHandler;
    readonly string owner;
    ExclusiveUse use;

    /// <summary>
    /// Opens a ring on each CPU of <paramref name="options"/> (default: every online CPU), maps it, enables the event
    /// and stores it in <paramref name="map"/> at the CPU's index. The map stays usable by this reader even if its
    /// handle is disposed first.
    /// </summary>
    public PerfBufferReader(BpfMap map, PerfBufferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        options ??= new PerfBufferOptions();
        Validate(map, options);
        IReadOnlyList<int> cpus = options.Cpus ?? DefaultCpus(map);
        this.map = map;
        owner = $"perf buffer reader of {map}";
        lostHandler = options.LostHandler;
        PagesPerCpu = options.PagesPerCpu;

        var opened = new List<PerfRing>(cpus.Count);
        int published = 0;
        RingWaiter? set = null;
        try
        {
            map.Fd.DangerousAddRef(ref mapReferenced);
            set = new RingWaiter(map.Fd.Syscalls);
            int pageSize = Environment.SystemPageSize;
            PerfEventAttr attr = EventAttributes(options);
            foreach (int cpu in cpus)
            {
                PerfRing ring = OpenRing(map, cpu, ref attr, pageSize, options.PagesPerCpu);
                opened.Add(ring);
                set.Watch(ring.Event, (ulong)(opened.Count - 1), EpollEvents.In);
                Publish(map, ring);
                published++;
            }
        }
        catch
        {
            // Only the slots this reader filled are cleared: the others may hold another reader's events.
            for (int i = 0; i < opened.Count; i++) Release(map, opened[i], clearSlot: i < published);
            set?.Dispose();
            if (mapReferenced) map.Fd.DangerousRelease();
            throw;
        }
        rings = opened.ToArray();
        waiter = set;
        ready = new EpollEvent[rings.Length + 1]; // every ring and the waiter's wake event
        scratch = GC.AllocateUninitializedArray<byte>(ScratchSize, pinned: true);
        Cpus = Array.AsReadOnly(rings.Select(r => r.Cpu).ToArray());
    }

    /// <summary>The CPUs this reader has a ring on, in map-slot order.</summary>
    public IReadOnlyList<int> Cpus { get; }

    /// <summary>Data pages of each CPU's ring.</summary>
    public int PagesPerCpu { get; }

    /// <summary>Bytes of record data each CPU's ring holds.</summary>
    public long DataSizePerCpu => (long)rings[0].DataSize;

    /// <summary>All samples the kernel reported dropped so far, over every CPU (reported when space frees up again).</summary>
    public ulong TotalLostSamples
    {
        get
        {
            ulong total = 0;
            foreach (PerfRing ring in rings) total += ring.Lost;
            return total;
        }
    }

    /// <summary>The samples the kernel reported dropped so far on <paramref name="cpu"/>.</summary>
    public ulong LostSamples(int cpu)
    {
        foreach (PerfRing ring in rings)
            if (ring.Cpu == cpu) return ring.Lost;
        throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"this reader has no ring on CPU {cpu}; its CPUs are {string.Join(", ", Cpus)}.");
    }

    // ---- Consume: drain every ring without waiting ----

    /// <summary>Hands every waiting sample of every CPU to <paramref name="handler"/> without waiting. Returns how many.</summary>
    public int Consume(PerfSampleHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var h = new DelegateSampleHandler(handler);
        return Consume(ref h);
    }

    /// <summary>Like <see cref="Consume(PerfSampleHandler)"/>, reading each sample as <typeparamref name="T"/>.</summary>
    public int Consume<T>(PerfRecordHandler<T> handler) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(handler);
        var h = new TypedSampleHandler<T>(handler);
        return Consume(ref h);
    }

    /// <summary>
    /// Like <see cref="Consume(PerfSampleHandler)"/> with a struct handler: called directly, no delegate. The handler's
    /// state changes are visible to the caller afterwards.
    /// </summary>
    public int Consume<THandler>(ref THandler handler) where THandler : struct, IPerfSampleHandler
    {
        Enter();
        try
        {
            return DrainAll(ref handler);
        }
        finally
        {
            Exit();
        }
    }

    int DrainAll<THandler>(ref THandler handler) where THandler : struct, IPerfSampleHandler
    {
        int samples = 0;
        fixed (byte* s = scratch)
            foreach (PerfRing ring in rings)
                samples += ring.Drain(ref handler, s, lostHandler);
        return samples;
    }

    // ---- Poll: wait for the kernel's wakeup, then drain the rings that woke ----

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> (-1: no limit, 0: do not wait) until a CPU's ring reaches its
    /// wakeup condition, then hands the samples of the rings that woke to <paramref name="handler"/>. Returns how many
    /// samples; 0 on timeout, or when the reader was disposed meanwhile.
    /// </summary>
    public int Poll(PerfSampleHandler handler, int timeoutMilliseconds) =>
        Poll(handler, TimeoutFrom(timeoutMilliseconds), CancellationToken.None);

    /// <summary>Like <see cref="Poll(PerfSampleHandler, int)"/>; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public int Poll(PerfSampleHandler handler, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var h = new DelegateSampleHandler(handler);
        return Poll(ref h, timeout, cancellationToken);
    }

    /// <summary>Like <see cref="Poll(PerfSampleHandler, TimeSpan, CancellationToken)"/>, reading each sample as <typeparamref name="T"/>.</summary>
    public int Poll<T>(PerfRecordHandler<T> handler, TimeSpan timeout, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(handler);
        var h = new TypedSampleHandler<T>(handler);
        return Poll(ref h, timeout, cancellationToken);
    }

    /// <summary>Like <see cref="Poll(PerfSampleHandler, TimeSpan, CancellationToken)"/> with a struct handler (no delegate).</summary>
    public int Poll<THandler>(ref THandler handler, TimeSpan timeout, CancellationToken cancellationToken = default)
        where THandler : struct, IPerfSampleHandler
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a timeout is zero or more, or Timeout.InfiniteTimeSpan.");
        Enter();
        try
        {
            return PollCore(ref handler, timeout, cancellationToken);
        }
        finally
        {
            Exit();
        }
    }

    int PollCore<THandler>(ref THandler handler, TimeSpan timeout, CancellationToken cancellationToken)
        where THandler : struct, IPerfSampleHandler
    {
        long start = Stopwatch.GetTimestamp();
        bool infinite = timeout == Timeout.InfiniteTimeSpan;
        while (true)
        {
            TimeSpan left = infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, (timeout - Stopwatch.GetElapsedTime(start)).Ticks));
            int woke;
            try
            {
                woke = waiter.Wait(ready, left, cancellationToken, owner);
            }
            catch (ObjectDisposedException)
            {
                return 0; // Dispose on another thread closed the waiter; the release follows when this call leaves
            }
            if (woke == 0) return 0;
            int samples = 0;
            fixed (byte* s = scratch)
                for (int i = 0; i < woke; i++)
                    samples += rings[(int)ready[i].Data].Drain(ref handler, s, lostHandler);
            // A wakeup can bring only lost records, or a ring drained by an earlier Consume: keep waiting then.
            if (samples > 0) return samples;
        }
    }

    static TimeSpan TimeoutFrom(int milliseconds) => milliseconds switch
    {
        -1 => Timeout.InfiniteTimeSpan,
        < -1 => throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "a timeout is -1 (no limit), 0 or more milliseconds."),
        _ => TimeSpan.FromMilliseconds(milliseconds),
    };

    // ---- One consumer at a time, and Dispose from any thread ----

    void Enter() => use.Enter(owner, SingleConsumer);

    /// <summary>Like <see cref="Enter"/>, but false instead of an exception when the reader is disposed.</summary>
    bool TryEnter() => use.TryEnter(owner, SingleConsumer);

    void Exit()
    {
        if (use.Exit()) ReleaseAll(); // Dispose ran while this call was consuming: it left the release to us
    }

    /// <summary>
    /// Clears this reader's map slots, disables its events, unmaps the rings and closes the fds. When another thread is
    /// polling at that moment, its wait ends at once (returning 0) and the release happens as that call returns.
    /// </summary>
    public void Dispose()
    {
        waiter.Close();
        if (use.RequestDispose()) ReleaseAll();
    }

    void ReleaseAll()
    {
        foreach (PerfRing ring in rings) Release(map, ring, clearSlot: true);
        waiter.Dispose();
        if (mapReferenced) map.Fd.DangerousRelease();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A reader that was never disposed: the rings' and the waiter's own handles unmap and close themselves;
    /// what only the reader can undo is its map slots (through which the kernel keeps the events alive) and its
    /// reference on the map's fd (which would otherwise keep that fd open for good).
    /// </summary>
    ~PerfBufferReader()
    {
        if (rings is null) return; // the constructor failed and cleaned up itself
        foreach (PerfRing ring in rings) SetSlot(map, BpfCommand.MapDeleteElem, (uint)ring.Cpu, null);
        if (mapReferenced) map.Fd.DangerousRelease();
    }

    // ---- Setup ----

    static void Validate(BpfMap map, PerfBufferOptions options)
    {
        if (map.Type != BpfMapType.PerfEventArray)
            throw new ArgumentException($"{map} is not a BPF_MAP_TYPE_PERF_EVENT_ARRAY: a perf buffer reads a perf event array.", nameof(map));
        if (map.KeySize != 4 || map.ValueSize != 4)
            throw new ArgumentException($"{map} must have 4-byte keys and values (CPU index → perf event fd).", nameof(map));
        if (options.PagesPerCpu <= 0 || !BitOperations.IsPow2(options.PagesPerCpu))
            throw new ArgumentException($"PagesPerCpu must be a power of two (1, 2, 4, …), not {options.PagesPerCpu}.", nameof(options));
        if (options.WakeupEvents is not null && options.WakeupWatermark is not null)
            throw new ArgumentException("set WakeupEvents (wake every N samples) or WakeupWatermark (wake at N bytes), not both.", nameof(options));
        if (options.WakeupEvents == 0)
            throw new ArgumentException("WakeupEvents must be at least 1; to wake by the amount of data, set WakeupWatermark instead.", nameof(options));
        if (options.WakeupWatermark == 0)
            throw new ArgumentException("WakeupWatermark must be at least 1 byte.", nameof(options));
        long dataSize = (long)Environment.SystemPageSize * options.PagesPerCpu;
        if (options.WakeupWatermark > dataSize)
            throw new ArgumentException(
                $"WakeupWatermark {options.WakeupWatermark} bytes exceeds the {dataSize} bytes of data in each CPU's ring; the kernel would clamp it. " +
                "Use a smaller watermark or more PagesPerCpu.", nameof(options));
        if (options.Cpus is { } cpus)
        {
            if (cpus.Count == 0) throw new ArgumentException("Cpus is empty: name at least one CPU, or leave it null for every online CPU.", nameof(options));
            if (cpus.Distinct().Count() != cpus.Count) throw new ArgumentException($"Cpus lists a CPU twice: {string.Join(", ", cpus)}.", nameof(options));
            foreach (int cpu in cpus)
                if (cpu < 0 || (uint)cpu >= map.MaxEntries)
                    throw new ArgumentException(
                        $"CPU {cpu} has no slot in {map}: slots are 0..{map.MaxEntries - 1}. Create the map with max_entries = the number of possible CPUs " +
                        $"({PossibleCpus.Count} here; 0 in an object file means that).", nameof(options));
        }
    }

    static IReadOnlyList<int> DefaultCpus(BpfMap map)
    {
        IReadOnlyList<int> online = CpuList.Online();
        foreach (int cpu in online)
            if ((uint)cpu >= map.MaxEntries)
                throw new ArgumentException(
                    $"CPU {cpu} is online but {map} has slots 0..{map.MaxEntries - 1} only: programs running there would get E2BIG. Create the map " +
                    $"with max_entries = the number of possible CPUs ({PossibleCpus.Count} here; 0 in an object file means that), or pass Cpus.", nameof(map));
        return online;
    }

    static PerfEventAttr EventAttributes(PerfBufferOptions options)
    {
        var attr = new PerfEventAttr
        {
            Type = (uint)PerfType.Software,
            Config = (ulong)PerfSoftwareEvent.BpfOutput,
            SampleType = (ulong)PerfSampleFormat.Raw,
            SamplePeriod = 1,
        };
        attr.Disabled = 1; // enabled once mapped, before the map slot makes it visible to programs
        if (options.WakeupWatermark is uint watermark)
        {
            attr.Watermark = 1;
            attr.WakeupWatermark = watermark;
        }
        else
        {
            attr.WakeupEvents = options.WakeupEvents ?? 1;
        }
        return attr;
    }

    static PerfRing OpenRing(BpfMap map, int cpu, ref PerfEventAttr attr, int pageSize, int pages)
    {
        BpfFileDescriptor perfEvent = PerfEventFile.Open(ref attr, pid: -1, cpu, $"BPF output event on CPU {cpu} for {map}", map.Fd.Syscalls);
        PerfRingMapping? mapping = null;
        try
        {
            mapping = PerfRingMapping.Map(perfEvent, (nuint)pageSize * (nuint)(pages + 1), cpu);
            PerfEventFile.Enable(perfEvent);
            return new PerfRing(cpu, perfEvent, mapping, pageSize, pages);
        }
        catch
        {
            mapping?.Dispose();
            perfEvent.Dispose();
            throw;
        }
    }

    // The reader holds a reference on the map's fd (taken in the constructor), so the raw fd stays valid here even
    // after the map's own handle was disposed.
    static int SetSlot(BpfMap map, BpfCommand command, uint key, uint* value)
    {
        var attr = new MapElemAttr { MapFd = (uint)map.Fd.DangerousGetHandle(), Key = (ulong)&key, Value = (ulong)value };
        return BpfSyscall.Invoke(map.Fd.Syscalls, command, ref attr);
    }

    static void Publish(BpfMap map, PerfRing ring)
    {
        using FdLease lease = ring.Event.Lease();
        uint value = lease.UFd;
        int r = SetSlot(map, BpfCommand.MapUpdateElem, (uint)ring.Cpu, &value);
        if (r < 0) throw new BpfSyscallException(BpfCommand.MapUpdateElem, -r, $"storing the CPU {ring.Cpu} perf event in {map}");
    }

    /// <summary>Takes the ring out of the map first, so programs stop writing to it, then disables, unmaps and closes.</summary>
    static void Release(BpfMap map, PerfRing ring, bool clearSlot)
    {
        if (clearSlot) SetSlot(map, BpfCommand.MapDeleteElem, (uint)ring.Cpu, null); // ENOENT when already cleared: nothing to do
        try
        {
            PerfEventFile.Disable(ring.Event);
        }
        catch (BpfSyscallException)
        {
            // The event goes away with its last fd anyway; disabling first only stops output a moment sooner.
        }
        ring.Dispose();
    }
}
