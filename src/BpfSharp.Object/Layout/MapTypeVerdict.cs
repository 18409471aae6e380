namespace BpfSharp.Layout;

/// <summary>The first error of <typeparamref name="T"/>, found once per type by the static initializer.</summary>
internal static class MapTypeVerdict<T> where T : unmanaged
{
    public static readonly LayoutViolation? FirstError =
        MapTypeRules.Analyze(typeof(T)).Violations.FirstOrDefault(v => v.Severity == LayoutSeverity.Error);
}
