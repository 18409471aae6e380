using Xunit;

namespace BpfSharp.Interop.Tests.Comparison;

/// <summary>Assertions on <see cref="LoadedObjectSummary"/> that fail with the list of differences and both tables.</summary>
public static class SummaryAssert
{
    /// <summary>Fails unless <paramref name="actual"/> agrees with <paramref name="expected"/> on <paramref name="fields"/>.</summary>
    public static void Same(LoadedObjectSummary expected, LoadedObjectSummary actual, SummaryFields fields = SummaryFields.All)
    {
        IReadOnlyList<string> differences = expected.Compare(actual, fields);
        if (differences.Count == 0) return;
        Assert.Fail($"{expected.Loader} and {actual.Loader} disagree ({differences.Count}):\n  - " +
            string.Join("\n  - ", differences) + $"\n\n{expected}\n{actual}");
    }
}
