namespace Pipeline.Lab.Benchmarks;

/// <summary>Nearest-rank percentiles of latencies already sorted ascending; shared so every benchmark reports alike.</summary>
public static class Percentiles
{
    /// <summary>The smallest value that at least <paramref name="quantile"/> of the values do not exceed; NaN when there are none.</summary>
    public static double Of(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
