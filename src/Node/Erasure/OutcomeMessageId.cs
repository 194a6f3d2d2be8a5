using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Node.Erasure;

/// <summary>
/// The MessageId an erasure's outcome event is published under, derived from its request id. An outcome is published
/// at least once: a node killed after the broker confirmed it but before the ledger recorded that publishes it again
/// when it restarts, and a refusal answered by a node that died before acknowledging the request is answered again on
/// redelivery. The copy carries the same MessageId, so a subscriber drops it (MassTransit's inbox, or a set of seen
/// ids). Outcomes and refusals have ids of their own: a forged request and the genuine request of the same id are two
/// answers, and a subscriber must not take one for a copy of the other — deduplicate by MessageId, not by RequestId.
/// </summary>
public static class OutcomeMessageId
{
    /// <summary>The UnlearningCompleted or UnlearningRejected that ends the erasure in the ledger.</summary>
    public static Guid Of(Guid requestId) => Derive("pipeline.erasure.outcome", requestId);

    /// <summary>The UnlearningRejected answering a request refused as not authenticated (never an erasure of the ledger).</summary>
    public static Guid OfRefusal(Guid requestId) => Derive("pipeline.erasure.refusal", requestId);

    /// <summary>A name-based UUID (version 8: SHA-256 of the kind and the request id), the same on every node.</summary>
    private static Guid Derive(string kind, Guid requestId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}:{requestId:D}")).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
