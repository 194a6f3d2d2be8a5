namespace Pipeline.Node.Erasure.Ledger;

/// <summary>One erasure as the audit ledger keeps it: no subject id, only its salted hash and the requester's reference.</summary>
public sealed record ErasureRecord(
    Guid RequestId,
    string SubjectHash,
    string? DatasetId,
    int RecordCount,
    ErasureState State,
    string? Reason,
    string? Forgetter,
    string? HandledBy,
    IReadOnlyDictionary<string, double> Evidence,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ErasureTransition> Transitions)
{
    /// <summary>The requester's own identifier for the request (UnlearnRequested.Reference), kept beside the subject's hash.</summary>
    public string? Reference { get; init; }
}

public sealed record ErasureTransition(ErasureState State, DateTimeOffset At, string Node, string? Detail);
