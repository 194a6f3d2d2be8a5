using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Erasure.Security;

/// <summary>
/// The signature of an erasure request: base64 HMAC-SHA256, under the publisher's key, of the request's canonical
/// fields. Canonical form v1 — each field as its UTF-8 byte length in decimal, a colon and the bytes (a missing field
/// as "-1:"), concatenated in this order: "pipeline.unlearn.v1", the request id (lower-case, with hyphens), publisher,
/// nonce, timestamp in whole Unix seconds, subject id, dataset id, reason, reference, the number of record ids (missing
/// when there is no list), then each record id. Length prefixes make the encoding unambiguous without escaping, so any
/// language can produce the same bytes (README has a Python version); every field that steers the erasure is covered.
/// </summary>
public static class ErasureRequestSignature
{
    public const string Version = "pipeline.unlearn.v1";

    public static byte[] CanonicalBytes(UnlearnRequested request)
    {
        var fields = new List<string?>
        {
            Version,
            request.RequestId.ToString("D"),
            request.Publisher,
            request.Nonce,
            request.Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            request.SubjectId,
            request.DatasetId,
            request.Reason,
            request.Reference,
            request.RecordIds?.Count.ToString(CultureInfo.InvariantCulture),
        };
        fields.AddRange(request.RecordIds ?? []);
        var buffer = new MemoryStream();
        foreach (var field in fields)
        {
            if (field is null)
            {
                buffer.Write("-1:"u8);
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(field);
            buffer.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
            buffer.Write(bytes);
        }
        return buffer.ToArray();
    }

    public static string Compute(UnlearnRequested request, byte[] key) => Convert.ToBase64String(HMACSHA256.HashData(key, CanonicalBytes(request)));

    /// <summary>The request as <paramref name="publisher"/> sends it: a fresh nonce and the signature.</summary>
    public static UnlearnRequested Sign(UnlearnRequested request, string publisher, byte[] key)
    {
        var stamped = request with { Publisher = publisher, Nonce = NewNonce() };
        return stamped with { Signature = Compute(stamped, key) };
    }

    /// <summary>Whether the signature is the one the key gives (compared in constant time).</summary>
    public static bool Matches(UnlearnRequested request, byte[] key)
    {
        if (request.Signature is null)
            return false;
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(request.Signature, given, out var length) || length != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(given[..length], HMACSHA256.HashData(key, CanonicalBytes(request)));
    }

    /// <summary>24 random bytes, base64url without padding (32 characters).</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
