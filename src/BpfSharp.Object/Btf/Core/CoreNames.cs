namespace BpfSharp.Btf.Core;

/// <summary>
/// CO-RE's "essential" names: everything before the last <c>___</c> flavour separator, so <c>task_struct___v2</c>
/// and <c>task_struct</c> are the same type to relocation.
/// </summary>
public static class CoreNames
{
    /// <summary>
    /// The length of the essential part of <paramref name="name"/>: the position after the last <c>X___Y</c> separator
    /// where X and Y are not underscores, or the whole length when there is none.
    /// </summary>
    public static int EssentialLength(string name) => BtfSpec.EssentialName(name).Length;

    /// <summary>The essential part of <paramref name="name"/> (e.g. <c>task_struct</c> for <c>task_struct___mine</c>).</summary>
    public static string Essential(string name) => BtfSpec.EssentialName(name);

    /// <summary>True when both names have the same essential part.</summary>
    public static bool EssentialEquals(string a, string b)
    {
        int length = EssentialLength(a);
        return EssentialLength(b) == length && string.CompareOrdinal(a, 0, b, 0, length) == 0;
    }

    /// <summary>libbpf's name rule for TYPE_MATCHES: an anonymous target matches only an anonymous local; otherwise essential names must agree.</summary>
    internal static bool MatchForTypeMatching(string local, string target) =>
        target.Length == 0 ? local.Length == 0 : EssentialEquals(local, target);
}
