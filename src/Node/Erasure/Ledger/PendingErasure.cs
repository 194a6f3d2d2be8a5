namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// The personal part of a request (subject id, record ids), kept only while the erasure is under way and
/// deleted when it ends, so the lasting audit trail holds no personal data.
/// </summary>
public sealed record PendingErasure(Guid RequestId, string SubjectId, string SubjectHash, string? DatasetId, IReadOnlyList<string> RecordIds);
