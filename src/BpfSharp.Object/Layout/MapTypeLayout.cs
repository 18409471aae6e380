namespace BpfSharp.Layout;

/// <summary>
/// What <see cref="MapTypeRules.Analyze"/> found for a type: its CLR size and alignment, every rule violation and
/// the padding holes (bytes no field covers), which are allowed but worth showing in tools.
/// </summary>
public sealed class MapTypeLayout
{
    internal MapTypeLayout(Type type, int size, int alignment, IReadOnlyList<LayoutViolation> violations, IReadOnlyList<PaddingHole> holes)
    {
        Type = type;
        Size = size;
        Alignment = alignment;
        Violations = violations;
        Holes = holes;
    }

    public Type Type { get; }

    /// <summary>The CLR's size of the type in bytes (what the map's key_size/value_size must be).</summary>
    public int Size { get; }

    /// <summary>The CLR's alignment of the type in bytes.</summary>
    public int Alignment { get; }

    /// <summary>Errors and warnings, in field offset order.</summary>
    public IReadOnlyList<LayoutViolation> Violations { get; }

    /// <summary>Byte ranges no field covers, in offset order, adjacent ranges merged.</summary>
    public IReadOnlyList<PaddingHole> Holes { get; }

    public int PaddingBytes => Holes.Sum(h => h.Length);

    /// <summary>True when there is no violation of severity <see cref="LayoutSeverity.Error"/>.</summary>
    public bool IsAllowed => !Violations.Any(v => v.Severity == LayoutSeverity.Error);
}
