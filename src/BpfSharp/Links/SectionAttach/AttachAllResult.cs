namespace BpfSharp.Links;

/// <summary>
/// A program <c>AttachAll</c> attached (or a map that attaches itself, such as a struct_ops map), by its name in the
/// object, with its section and its link (owned by the object). A USDT probe with several call sites may need one link
/// per site: <see cref="Link"/> is then the first, and <see cref="Group"/> (a <c>UsdtLink</c>) holds them all. A
/// <c>SEC(".struct_ops")</c> map registers without a link: <see cref="Link"/> is null and <see cref="Group"/> is its registration.
/// </summary>
public sealed record AttachedProgram(string Name, string SectionName, BpfLink? Link, IDisposable? Group = null);

/// <summary>A program <c>AttachAll</c> left alone, and why.</summary>
public sealed record SkippedProgram(string ProgramName, string SectionName, string Reason);

/// <summary>What <c>BpfObject.AttachAll</c> did: the programs it attached and those it skipped, in the object's order.</summary>
public sealed record AttachAllResult(IReadOnlyList<AttachedProgram> Attached, IReadOnlyList<SkippedProgram> Skipped)
{
    public override string ToString() =>
        $"{Attached.Count} attached ({string.Join(", ", Attached.Select(a => a.Name))}), " +
        $"{Skipped.Count} skipped ({string.Join("; ", Skipped.Select(s => $"{s.ProgramName}: {s.Reason}"))})";
}
