namespace Pipeline.Contracts.Messages;

/// <summary>
/// An erasure was carried out and verified. Evidence holds the verification figures (for example membership-inference
/// AUC); SubjectHash is the salted hash, never the subject id. HandledBy names the node that did the work.
/// </summary>
public sealed record UnlearningCompleted(
    Guid RequestId,
    string SubjectHash,
    string Forgetter,
    IReadOnlyDictionary<string, double> Evidence,
    string HandledBy,
    DateTimeOffset Timestamp)
{
    /// <summary>The forgetter's one-line account ("no records held", "3 records in 1 run forgotten"); null when it gave none.</summary>
    public string? Summary { get; init; }
}
