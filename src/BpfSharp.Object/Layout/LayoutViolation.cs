namespace BpfSharp.Layout;

/// <summary>
/// One broken map key/value type rule: where (<see cref="FieldPath"/>, <see cref="Offset"/>), which rule, what is
/// wrong and how to fix it.
/// </summary>
/// <param name="Type">The checked type (the map's key or value type), not the type of the offending field.</param>
/// <param name="FieldPath">Path from <paramref name="Type"/> to the field, e.g. <c>Inner.Counters[0]</c>; empty for the whole type.</param>
/// <param name="FieldType">Type of the offending field, or <paramref name="Type"/> itself when the path is empty.</param>
/// <param name="Offset">Byte offset of the field from the start of <paramref name="Type"/>; -1 for the whole type.</param>
/// <param name="Rule">One of the <see cref="LayoutRule"/> names.</param>
/// <param name="Problem">What is wrong, phrased to follow "field 'X' (T) at offset N", e.g. "needs 16-byte alignment, …".</param>
/// <param name="Fix">What to change, as a sentence.</param>
public sealed record LayoutViolation(
    Type Type,
    string FieldPath,
    Type FieldType,
    int Offset,
    LayoutSeverity Severity,
    string Rule,
    string Problem,
    string Fix)
{
    /// <summary>"field 'Inner.Stamp' (System.Int128) at offset 16", or "the type itself".</summary>
    public string Subject => FieldPath.Length == 0
        ? "the type itself"
        : $"field '{FieldPath}' ({TypeDisplayName.Of(FieldType)}) at offset {Offset}";

    /// <summary>The sentence used in messages, after the introduction that names the checked type.</summary>
    public string Describe() => $"{Subject} {Problem} (rule: {Rule}). Fix: {Fix}";

    public override string ToString() =>
        $"{Severity}: map type '{TypeDisplayName.Of(Type)}': {Describe()}";
}
