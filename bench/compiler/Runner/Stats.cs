namespace BpfSharp.Bench.Compiler.Runner;

static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static double Median(IReadOnlyList<uint> values) => Median(values.Select(v => (double)v).ToList());
}
