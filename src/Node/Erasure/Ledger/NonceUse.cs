namespace Pipeline.Node.Erasure.Ledger;

/// <summary>Whether a signed request's nonce is new, already used by the same request, or already used by another request.</summary>
public enum NonceUse
{
    New,
    SameRequest,
    OtherRequest,
}
