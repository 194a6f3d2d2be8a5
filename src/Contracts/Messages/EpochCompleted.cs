namespace Pipeline.Contracts.Messages;

/// <summary>
/// A training epoch finished and its checkpoint was written. TrainSample and HeldOutSample are JSONL files of the
/// run's fixed, seeded scoring samples (records it trains on, and as many it holds out), the same every epoch.
/// </summary>
public sealed record EpochCompleted(
    Guid RunId,
    int Epoch,
    CheckpointReference Checkpoint,
    double TrainLoss,
    double ValLoss,
    string BaseModel,
    string Dataset,
    DateTimeOffset Timestamp)
{
    public string? TrainSample { get; init; }
    public string? HeldOutSample { get; init; }

    /// <summary>The regularisation strength λ this epoch trained with.</summary>
    public double Lambda { get; init; }

    /// <summary>The run asked the training policies to tune λ (finetune --tune-lambda).</summary>
    public bool TuneLambda { get; init; }
}
