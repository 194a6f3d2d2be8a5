namespace Pipeline.Node.Erasure.Ledger;

/// <summary>What recording a received erasure request came to.</summary>
public enum Receipt
{
    /// <summary>New: recorded (with its nonce), to be carried out.</summary>
    Received,

    /// <summary>The request id is already in the ledger (a redelivery or a duplicate); nothing written.</summary>
    AlreadyReceived,

    /// <summary>The request id is already in the ledger and its nonce was already used by it: the same signed request again.</summary>
    SameSignedRequestAgain,

    /// <summary>The nonce belongs to another request: a replay; nothing written.</summary>
    NonceOfAnotherRequest,
}
