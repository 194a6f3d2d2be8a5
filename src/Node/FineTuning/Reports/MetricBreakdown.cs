namespace Pipeline.Node.FineTuning.Reports;

/// <summary>
/// Metrics broken down by group are named <c>metric@group</c> (verbatim_rate@cluster_2): there can be many of them,
/// so console output summarises them instead of giving each a column.
/// </summary>
public static class MetricBreakdown
{
    public static bool IsBreakdown(string metricName) => metricName.Contains('@');

    /// <summary>"verbatim_rate@cluster_2" → ("verbatim_rate", "cluster_2"); a plain metric has no group.</summary>
    public static (string Metric, string? Group) Split(string metricName)
    {
        var at = metricName.IndexOf('@');
        return at < 0 ? (metricName, null) : (metricName[..at], metricName[(at + 1)..]);
    }
}
