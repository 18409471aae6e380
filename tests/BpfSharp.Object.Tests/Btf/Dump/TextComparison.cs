using Xunit;

namespace BpfSharp.Object.Tests.Btf.Dump;

static class TextComparison
{
    /// <summary>Lines that differ between two texts, compared position by position (0 when identical).</summary>
    public static int DifferingLines(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int differing = Math.Abs(e.Length - a.Length);
        for (int i = 0; i < Math.Min(e.Length, a.Length); i++)
            if (e[i] != a[i]) differing++;
        return differing;
    }

    /// <summary>Asserts equality, reporting the first differing line with context instead of two huge strings.</summary>
    public static void AssertSameText(string expected, string actual, string what)
    {
        if (expected == actual) return;
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        int first = 0;
        while (first < e.Length && first < a.Length && e[first] == a[first]) first++;
        string Context(string[] lines) => string.Join("\n", lines.Skip(Math.Max(0, first - 3)).Take(7));
        Assert.Fail($"{what}: {DifferingLines(expected, actual)} of {e.Length} lines differ; first at line {first + 1}.\n" +
                    $"--- expected (bpftool)\n{Context(e)}\n--- actual\n{Context(a)}");
    }
}
