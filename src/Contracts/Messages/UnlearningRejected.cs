namespace Pipeline.Contracts.Messages;

/// <summary>An erasure request was not carried out, and why.</summary>
public sealed record UnlearningRejected(
    Guid RequestId,
    string SubjectHash,
    string Reason,
    string HandledBy,
    DateTimeOffset Timestamp);
