namespace Pipeline.Host.Ledger;

/// <summary>One erasure as the audit ledger keeps it: no subject id, only its salted hash.</summary>
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
    IReadOnlyList<ErasureTransition> Transitions);

public sealed record ErasureTransition(ErasureState State, DateTimeOffset At, string Node, string? Detail);
