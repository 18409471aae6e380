namespace BpfSharp.Layout;

/// <summary>
/// A type cannot be a map key or value. The message and the properties name the type, the field, its offset, the
/// rule and the fix.
/// </summary>
public sealed class BpfLayoutException : BpfException
{
    public BpfLayoutException(LayoutViolation violation, MapTypeRole role)
        : base($"Map {RoleWord(role)} type '{TypeDisplayName.Of(violation.Type)}' is not allowed: {violation.Describe()}")
    {
        Violation = violation;
        Role = role;
    }

    /// <summary>The checked type: the map's key or value type.</summary>
    public Type Type => Violation.Type;

    /// <summary>Path to the offending field, e.g. <c>Inner.Counters[0]</c>; empty when the whole type is at fault.</summary>
    public string FieldPath => Violation.FieldPath;

    /// <summary>Byte offset of the field from the start of <see cref="Type"/>; -1 when the whole type is at fault.</summary>
    public int Offset => Violation.Offset;

    /// <summary>The broken rule, one of the <see cref="LayoutRule"/> names.</summary>
    public string Rule => Violation.Rule;

    /// <summary>What to change.</summary>
    public string Fix => Violation.Fix;

    public MapTypeRole Role { get; }

    public LayoutViolation Violation { get; }

    static string RoleWord(MapTypeRole role) => role == MapTypeRole.Key ? "key" : "value";
}
