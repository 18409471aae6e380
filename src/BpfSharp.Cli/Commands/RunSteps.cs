using BpfSharp.Links;
using BpfSharp.Objects;

namespace BpfSharp.Cli.Commands;

/// <summary>
/// The two steps of <c>bpfsharp run</c> that come from other parts of the runtime: attaching every program by its
/// section name, and printing the records of the object's event maps.
/// </summary>
static class RunSteps
{
    /// <summary>
    /// Attaches every program of <paramref name="obj"/> by its section name (and registers its struct_ops maps) with
    /// <see cref="BpfObject.AttachAll"/>, printing what was attached and what was skipped and why. The object owns the
    /// links: they are detached when it is disposed.
    /// </summary>
    /// <exception cref="BpfObjectException">An attach failed (the links made so far are detached again).</exception>
    public static void AttachAll(BpfObject obj, TextWriter output)
    {
        AttachAllResult result = obj.AttachAll();
        foreach (AttachedProgram a in result.Attached)
            output.WriteLine($"attached {a.Name} (section '{a.SectionName}'): {Describe(a)}");
        foreach (SkippedProgram s in result.Skipped)
            output.WriteLine($"skipped {s.ProgramName} (section '{s.SectionName}'): {s.Reason}");
        output.WriteLine($"{result.Attached.Count} attached, {result.Skipped.Count} skipped");
    }

    static string Describe(AttachedProgram attached) => attached switch
    {
        { Group: Links.Uprobes.UsdtLink usdt } => $"{usdt.Links.Count} links (link ids {string.Join(", ", usdt.Links.Select(l => l.GetInfo().Id))}) for {usdt.Sites.Count} call sites",
        { Link: { } link } => LinkText(link.GetInfo()),
        _ => "registered (no link)",
    };

    static string LinkText(LinkInfo info) => $"link id {info.Id}, {info.Type}";

    /// <summary>
    /// Starts printing the records of every ring buffer and perf event array of <paramref name="obj"/> to
    /// <paramref name="output"/> until <paramref name="stop"/> is cancelled; the readers are set up before this returns,
    /// and the returned task ends once they have drained what is left and are closed. Each record is shown as
    /// <c>MAP: VALUE</c> through its type (<see cref="RecordTypes.Find"/>) or in hex.
    /// </summary>
    public static Task PrintEvents(BpfObject obj, TextWriter output, CancellationToken stop) =>
        EventPrinter.Start(obj, output).RunAsync(stop);
}
