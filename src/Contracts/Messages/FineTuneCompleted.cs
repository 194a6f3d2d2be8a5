namespace Pipeline.Contracts.Messages;

/// <summary>A run ended: all epochs done or stopped by a policy. ReportPath is runs/&lt;run-id&gt;/report.json.</summary>
public sealed record FineTuneCompleted(
    Guid RunId,
    int EpochsRun,
    int? StoppedAtEpoch,
    string? StopReason,
    int BestEpoch,
    CheckpointReference BestCheckpoint,
    string ReportPath,
    DateTimeOffset Timestamp);
