namespace Pipeline.Contracts.Messages;

/// <summary>Stop the run after Epoch; DecidedBy names the training policy.</summary>
public sealed record StopTraining(
    Guid RunId,
    int Epoch,
    string Reason,
    string DecidedBy,
    DateTimeOffset Timestamp);
