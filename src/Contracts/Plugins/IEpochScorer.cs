using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Plugins;

/// <summary>Role: metrics for an epoch's checkpoint. Metric names are snake_case; the host merges all scorers' metrics.</summary>
public interface IEpochScorer : IPipelinePlugin
{
    Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken);
}
