namespace Pipeline.Contracts.Messages;

/// <summary>The scorers' metrics for one epoch, merged; Scorers names the plugins that contributed.</summary>
public sealed record EpochScored(
    Guid RunId,
    int Epoch,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Scorers,
    DateTimeOffset Timestamp);
