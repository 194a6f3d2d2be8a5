namespace Pipeline.Contracts.Messages;

/// <summary>A run could not go on (bad data, corrupt checkpoint, full disk); Reason is one line. Finished epochs stay on disk.</summary>
public sealed record FineTuneFailed(Guid RunId, int? LastCompletedEpoch, string Reason, DateTimeOffset Timestamp);
