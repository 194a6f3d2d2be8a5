namespace Pipeline.Contracts.Plugins;

/// <summary>The metrics of each scored epoch of a run, oldest first, and the regularisation strength in force.</summary>
public sealed record RunHistory(Guid RunId, IReadOnlyList<EpochMetrics> Epochs, double CurrentLambda);

public sealed record EpochMetrics(int Epoch, IReadOnlyDictionary<string, double> Metrics);
