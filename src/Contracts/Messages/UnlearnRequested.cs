namespace Pipeline.Contracts.Messages;

/// <summary>
/// A data-governance system asks that a person be forgotten. SubjectId is personal data: the host logs and
/// audits it only as a salted hash. RecordIds narrows the erasure to those records; empty means all of the subject's.
/// </summary>
public sealed record UnlearnRequested(
    Guid RequestId,
    string SubjectId,
    string? DatasetId,
    IReadOnlyList<string>? RecordIds,
    string? Reason,
    DateTimeOffset Timestamp);
