namespace Pipeline.Contracts.Messages;

/// <summary>A training epoch finished and its checkpoint was written.</summary>
public sealed record EpochCompleted(
    Guid RunId,
    int Epoch,
    CheckpointReference Checkpoint,
    double TrainLoss,
    double ValLoss,
    string BaseModel,
    string Dataset,
    DateTimeOffset Timestamp);
