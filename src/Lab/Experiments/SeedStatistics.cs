namespace Pipeline.Lab.Experiments;

/// <summary>Mean and sample standard deviation over seeds; values that are missing (null) in a seed are left out.</summary>
public static class SeedStatistics
{
    public static (double? Mean, double? Sd) Of(IEnumerable<double?> values)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (present.Count == 0)
            return (null, null);
        var mean = present.Average();
        var sd = present.Count < 2 ? 0 : Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Count - 1));
        return (mean, sd);
    }

    /// <summary>Mean and sd rounded to 4 places, as the reports print them.</summary>
    public static (double? Mean, double? Sd) Rounded(IEnumerable<double?> values)
    {
        var (mean, sd) = Of(values);
        return (mean is null ? null : Math.Round(mean.Value, 4), sd is null ? null : Math.Round(sd.Value, 4));
    }
}
