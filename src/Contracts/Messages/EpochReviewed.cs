namespace Pipeline.Contracts.Messages;

/// <summary>
/// Every training policy has decided on an epoch: the fine-tuning worker waits for this before the next epoch, so
/// decisions land on epoch boundaries. It carries the decisions themselves (Stop/StopReason, Lambda when changed),
/// because the separate StopTraining and SetRegularisation commands may arrive in any order relative to it.
/// </summary>
public sealed record EpochReviewed(
    Guid RunId,
    int Epoch,
    bool Stop,
    string? StopReason,
    double? Lambda,
    IReadOnlyList<string> Policies,
    DateTimeOffset Timestamp);
