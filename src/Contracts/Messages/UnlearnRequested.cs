namespace Pipeline.Contracts.Messages;

/// <summary>
/// A data-governance system asks that a person be forgotten. SubjectId is personal data: the host logs and
/// audits it only as a salted hash. RecordIds narrows the erasure to those records; empty means all of the subject's.
/// Reference is the requester's own identifier for the request (a ticket or case number such as "DSR-2026-0042"): the
/// lasting audit trail keeps it beside the subject's hash, so the requester can match the two. It must be an opaque id,
/// not free text (letters, digits and . _ : / # -).
/// </summary>
public sealed record UnlearnRequested(
    Guid RequestId,
    string SubjectId,
    string? DatasetId,
    IReadOnlyList<string>? RecordIds,
    string? Reason,
    DateTimeOffset Timestamp)
{
    public string? Reference { get; init; }
}
