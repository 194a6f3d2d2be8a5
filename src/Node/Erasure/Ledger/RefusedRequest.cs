namespace Pipeline.Node.Erasure.Ledger;

/// <summary>An erasure request that was not accepted, and why (unsigned, wrong signature, stale, replayed); never acted on.</summary>
public sealed record RefusedRequest(Guid RequestId, string? Publisher, string Reason, DateTimeOffset At, string Node);
