namespace Pipeline.Contracts.Messages;

/// <summary>A checkpoint was saved. Kind says which: an epoch's, the best so far, or the final one.</summary>
public sealed record CheckpointSaved(
    Guid RunId,
    int Epoch,
    CheckpointReference Checkpoint,
    string Kind,
    DateTimeOffset Timestamp)
{
    public static readonly IReadOnlyList<string> Kinds = ["epoch", "best", "final"];
}
