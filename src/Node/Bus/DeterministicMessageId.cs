using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Node.Bus;

/// <summary>
/// Message ids that depend only on what the message announces, so a copy sent again (a publish retried after the broker
/// dropped the connection, an epoch re-announced after a crash, a redelivered message handled twice) carries the id of
/// the first and receivers can tell it is the same event. A name-based UUID (version 8: SHA-256 of the name, RFC 9562).
/// </summary>
public static class DeterministicMessageId
{
    /// <summary>The id of a run's event: e.g. For(runId, "epoch-completed", 3).</summary>
    public static Guid For(Guid runId, string eventName, int? epoch = null) =>
        FromName($"{runId:D}/{eventName}" + (epoch is { } e ? $"/{e}" : ""));

    /// <summary>The id of a message published in reply to another: the same reply to a redelivered copy gets the same id.</summary>
    public static Guid ReplyTo(Guid? consumedMessageId, string replyName) =>
        consumedMessageId is { } id ? FromName($"{id:D}>{replyName}") : Guid.NewGuid();

    private static Guid FromName(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes, bigEndian: true);
    }
}
