using System.Globalization;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Erasure.Security;

/// <summary>
/// Decides whether an erasure request is authentic and fresh: signed by a configured publisher with that publisher's
/// key, and timestamped within the allowed age and clock skew. Returns the refusal reason, or null when the request may
/// go on (the nonce check against the shared ledger comes after). The keys are read once, at start-up, so a bad key
/// configuration stops the node with its reason instead of refusing every request later.
/// </summary>
public sealed class ErasureRequestAuthenticator
{
    private readonly ErasureSecurityOptions _options;
    private readonly Dictionary<string, byte[]> _keys;

    public ErasureRequestAuthenticator(IOptions<ErasureSecurityOptions> options)
    {
        _options = options.Value;
        _keys = _options.Publishers.ToDictionary(p => p.Key,
            p => SigningKey.Read($"{ErasureSecurityOptions.Section}:Publishers:{p.Key}", p.Value.Key, p.Value.KeyFile), StringComparer.Ordinal);
    }

    public bool RequireSignature => _options.RequireSignature;

    /// <summary>How long nonces must be remembered: as long as a request is not yet stale.</summary>
    public TimeSpan NonceLifetime => TimeSpan.FromSeconds(_options.MaxAgeSeconds + _options.MaxClockSkewSeconds);

    public string? Refusal(UnlearnRequested request, DateTimeOffset now)
    {
        if (!_options.RequireSignature)
            return null;
        if (request.Signature is null || request.Publisher is null || request.Nonce is null)
            return "unsigned: a request needs Publisher, Nonce and Signature";
        if (!_keys.TryGetValue(request.Publisher, out var key))
            return $"unknown publisher '{request.Publisher}' (no key under {ErasureSecurityOptions.Section}:Publishers)";
        if (!ErasureRequestSignature.Matches(request, key))
            return $"signature does not match the request under publisher '{request.Publisher}''s key";
        var age = now - request.Timestamp;
        if (age.TotalSeconds > _options.MaxAgeSeconds)
            return $"stale: signed {Seconds(age)} s ago, more than the {Seconds(TimeSpan.FromSeconds(_options.MaxAgeSeconds))} s allowed";
        if (-age.TotalSeconds > _options.MaxClockSkewSeconds)
            return $"timestamp {Seconds(-age)} s in the future, more than the {Seconds(TimeSpan.FromSeconds(_options.MaxClockSkewSeconds))} s of clock skew allowed";
        return null;
    }

    private static string Seconds(TimeSpan span) => Math.Round(span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
