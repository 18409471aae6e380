namespace BpfSharp.Layout;

/// <summary>
/// The short names of the map key/value type rules, as they appear in <see cref="LayoutViolation.Rule"/> and in
/// error messages. docs/map-types.md explains each one.
/// </summary>
public static class LayoutRule
{
    public const string Unmanaged = "unmanaged only";
    public const string SequentialOrExplicit = "layout Sequential or Explicit";
    public const string AlignmentAtMost8 = "alignment ≤ 8";
    public const string NoPointers = "no pointers in map keys/values";
    public const string MisalignedField = "misaligned field";
    public const string MustHaveData = "key/value must have data";
}
