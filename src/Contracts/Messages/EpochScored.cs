namespace Pipeline.Contracts.Messages;

/// <summary>
/// The scorers' metrics for one epoch, merged; Scorers names the plugins that contributed. Labels, when any scorer
/// gave them (<see cref="Plugins.IMetricLabeller"/>), are readable descriptions of some metrics, by metric name.
/// </summary>
public sealed record EpochScored(
    Guid RunId,
    int Epoch,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Scorers,
    DateTimeOffset Timestamp)
{
    /// <summary>The longest label a message may carry: a few words for a legend, not a document.</summary>
    public const int MaxLabelLength = 200;

    /// <summary>Metric name → label (absent in messages from before labels existed, and when no scorer labels).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
