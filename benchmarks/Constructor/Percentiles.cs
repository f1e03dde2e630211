using System.Globalization;

namespace Cloud.Constructor.Benchmarks;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];

    public static string Ms(double value) => value.ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
