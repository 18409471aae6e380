using BpfSharp.Abi;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The two steps of <c>bpfsharp run</c> that come from other parts of the runtime, kept here so each is one call to
/// wire: attaching every program by its section name, and printing the records of the object's event maps.
/// </summary>
static class RunSteps
{
    /// <summary>
    /// Attaches every program of <paramref name="obj"/> by its section name; the result detaches them when disposed.
    /// To wire: <c>return obj.AttachAll();</c> (and print what it attached).
    /// </summary>
    public static IDisposable? AttachAll(BpfObject obj, TextWriter output)
    {
        output.WriteLine($"note: --attach-all is not available yet (BpfObject.AttachAll is not part of this build); {obj.Programs.Count} programs are loaded but not attached.");
        return null;
    }

    /// <summary>
    /// Starts printing the records of every ring buffer and perf event array of <paramref name="obj"/> to
    /// <paramref name="output"/> until <paramref name="stop"/> is cancelled; the returned task ends when the readers have
    /// drained and stopped. Each record is shown through its type (<see cref="RecordTypes.Find"/>, formatted with
    /// <c>BtfValueFormatter</c>) or in hex. To wire: one ring/perf buffer reader per map, its callback writing
    /// <c>MAP: VALUE</c> lines.
    /// </summary>
    public static Task PrintEvents(BpfObject obj, TextWriter output, CancellationToken stop)
    {
        foreach (var (name, map) in obj.Maps.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (map.Type is not (BpfMapType.RingBuf or BpfMapType.PerfEventArray)) continue;
            RecordType? type = RecordTypes.Find(obj.Spec, name);
            string shape = type is null ? "hex, no record type found" : $"as {Btf.Values.BtfTypeName.Describe(type.Btf, type.TypeId)}";
            output.WriteLine($"note: {map.Type} '{name}' would print its records ({shape}), but the reader is not part of this build.");
        }
        return Task.CompletedTask;
    }
}
