namespace Pipeline.Contracts.Messages;

/// <summary>
/// A checkpoint was saved. Kind says which: an epoch's, the best so far, the final one, or "unlearned" — a new version of
/// a run's model retrained without records that were erased.
/// </summary>
public sealed record CheckpointSaved(
    Guid RunId,
    int Epoch,
    CheckpointReference Checkpoint,
    string Kind,
    DateTimeOffset Timestamp)
{
    public static readonly IReadOnlyList<string> Kinds = ["epoch", "best", "final", "unlearned"];
}
