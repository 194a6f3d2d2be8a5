using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Plugins;

/// <summary>
/// Optional, beside <see cref="IEpochScorer"/>: human-readable labels for some of the metrics the scorer reported, by
/// metric name (for example "verbatim_rate@cluster_1" → "refund, order, parcel"), published in
/// <see cref="EpochScored.Labels"/> and shown in the run report and plot. The host asks only after the scorer's
/// ScoreAsync for the same epoch succeeded, and keeps only labels of metrics that scorer reported. Scorers without
/// labels need not implement it.
/// </summary>
public interface IMetricLabeller : IPipelinePlugin
{
    IReadOnlyDictionary<string, string> LabelsFor(EpochCompleted epoch);
}
