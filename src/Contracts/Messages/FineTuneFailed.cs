namespace Pipeline.Contracts.Messages;

/// <summary>
/// A run could not go on (bad data, corrupt checkpoint, full disk); Reason is one line. Finished epochs stay on disk.
/// Resumable: the cause lies outside the run (checkpoint storage full: Reason starts "checkpoint storage full:"), its
/// checkpoints and record are intact, and delivering the same StartFineTune again resumes it after its last epoch.
/// </summary>
public sealed record FineTuneFailed(Guid RunId, int? LastCompletedEpoch, string Reason, DateTimeOffset Timestamp)
{
    public bool Resumable { get; init; }
}
