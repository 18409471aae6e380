using BpfSharp.Abi;
using BpfSharp.Btf;
using BpfSharp.Btf.Values;
using BpfSharp.Maps;
using BpfSharp.Maps.PerfBuffers;
using BpfSharp.Maps.RingBuffers;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// Prints the records of an object's event maps as they arrive: every ring buffer behind one
/// <see cref="RingBufferPoller"/>, every perf event array with its own <see cref="PerfBufferReader"/>, each polled on a
/// thread of its own. A record prints as <c>MAP: VALUE</c> (perf samples as <c>MAP cpu N: VALUE</c>), through its BTF
/// type when the object gives one (<see cref="RecordTypes"/>), in hex otherwise; lost perf samples print as they are reported.
/// </summary>
sealed class EventPrinter
{
    /// <summary>How long one poll waits; records committed without a wakeup (BPF_RB_NO_WAKEUP) show up within this.</summary>
    static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    readonly RingBufferPoller? rings;
    readonly List<PerfSource> perfs;

    sealed record PerfSource(PerfBufferReader Reader, PerfSampleHandler OnSample);

    EventPrinter(RingBufferPoller? rings, List<PerfSource> perfs)
    {
        this.rings = rings;
        this.perfs = perfs;
    }

    /// <summary>
    /// Opens a reader on every event map of <paramref name="obj"/>, saying for each how its records will print. A map
    /// whose reader cannot be opened is reported and left out; the others still print.
    /// </summary>
    public static EventPrinter Start(BpfObject obj, TextWriter output)
    {
        output = TextWriter.Synchronized(output); // the readers print from their own threads
        RingBufferPoller? rings = null;
        var perfs = new List<PerfSource>();
        foreach (var (name, map) in obj.Maps.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (map.Type is not (BpfMapType.RingBuf or BpfMapType.PerfEventArray)) continue;
            RecordType? type = RecordTypes.Find(obj.Spec, name);
            string shape = type is null ? "in hex (no record type found)" : $"as {BtfTypeName.Describe(type.Btf, type.TypeId)}";
            try
            {
                if (map.Type == BpfMapType.RingBuf)
                {
                    rings ??= new RingBufferPoller();
                    rings.Add(map, record =>
                    {
                        output.WriteLine($"{name}: {Format(type, record)}");
                        return true;
                    });
                }
                else
                {
                    var options = new PerfBufferOptions { LostHandler = (cpu, lost) => output.WriteLine($"{name} cpu {cpu}: lost {lost} samples") };
                    perfs.Add(new(new PerfBufferReader(map, options), (cpu, data) => output.WriteLine($"{name} cpu {cpu}: {Format(type, data)}")));
                }
                output.WriteLine($"reading {map.Type} '{name}': records {shape}");
            }
            catch (Exception e) when (e is BpfException or ArgumentException)
            {
                output.WriteLine($"note: cannot read {map.Type} '{name}': {e.Message}");
            }
        }
        return new EventPrinter(rings, perfs);
    }

    /// <summary>Polls every reader until <paramref name="stop"/> is cancelled, drains them one last time, and closes them.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var loops = new List<Task>();
        try
        {
            if (rings is { } r) loops.Add(Loop(() => r.Poll(PollSlice, stop), () => r.Consume(), stop));
            foreach (PerfSource p in perfs)
                loops.Add(Loop(() => p.Reader.Poll(p.OnSample, PollSlice, stop), () => p.Reader.Consume(p.OnSample), stop));
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            rings?.Dispose();
            foreach (PerfSource p in perfs) p.Reader.Dispose();
        }
    }

    /// <summary>A poll loop on a thread of its own (the polls block), ending with a final non-blocking drain.</summary>
    static Task Loop(Func<int> poll, Func<int> drain, CancellationToken stop) => Task.Factory.StartNew(() =>
    {
        try
        {
            while (!stop.IsCancellationRequested) poll();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        drain();
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The record through its type, or hex when there is none or the record is too short for it.</summary>
    static string Format(RecordType? type, ReadOnlySpan<byte> record)
    {
        if (type is null) return HexBytes.Format(record);
        try
        {
            return BtfValueFormatter.Format(type.Btf, type.TypeId, record);
        }
        catch (Exception e) when (e is ArgumentException or BtfFormatException)
        {
            return $"{HexBytes.Format(record)} (not shown as {BtfTypeName.Describe(type.Btf, type.TypeId)}: {e.Message})";
        }
    }
}
