namespace Pipeline.Node.Erasure.Ledger;

/// <summary>
/// A signed request's nonce, to be claimed in the same transaction that records the request: one durable write per
/// accepted request instead of two. Nonces used before <see cref="KeepSince"/> are forgotten on the way.
/// </summary>
public sealed record NonceClaim(string Publisher, string Nonce, DateTimeOffset KeepSince);
