namespace Pipeline.Contracts.Messages;

/// <summary>
/// A data-governance system asks that a person be forgotten. SubjectId is personal data: the host logs and
/// audits it only as a salted hash. RecordIds narrows the erasure to those records; empty means all of the subject's.
/// Reference is the requester's own identifier for the request (a ticket or case number such as "DSR-2026-0042"): the
/// lasting audit trail keeps it beside the subject's hash, so the requester can match the two. It must be an opaque id,
/// not free text (letters, digits and . _ : / # -).
/// A request is acted on only when it is signed: Publisher names the key (shared with that publisher), Nonce is new for
/// every request, Signature is base64 HMAC-SHA256 over the canonical fields (README, "Signing erasure requests").
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

    /// <summary>Who signed the request: the name its key is configured under (Security:Erasure:Publishers:NAME).</summary>
    public string? Publisher { get; init; }

    /// <summary>A value the publisher never uses twice (16–128 characters of letters, digits, - and _).</summary>
    public string? Nonce { get; init; }

    /// <summary>Base64 HMAC-SHA256 of the canonical fields under the publisher's key.</summary>
    public string? Signature { get; init; }
}
