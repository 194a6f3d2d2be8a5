using Pipeline.Node.Hosting;

namespace Pipeline.Node.Erasure.Security;

/// <summary>
/// Configuration section "Security:Erasure". Nodes accept an erasure request only when it is signed with the key of a
/// configured publisher, is not older than MaxAgeSeconds (nor further ahead than MaxClockSkewSeconds) and its nonce
/// is new. Keys come from configuration (an environment variable) or files, never from code. Signing is what
/// `pipeline unlearn` uses to sign what it publishes.
/// </summary>
public sealed class ErasureSecurityOptions : ICheckedSettings
{
    public const string Section = "Security:Erasure";

    /// <summary>Refuse unsigned requests (the default). false accepts them unchecked — for a closed test bench only.</summary>
    public bool RequireSignature { get; set; } = true;

    /// <summary>How old a request may be on arrival. Nonces are remembered this long, so a replay is caught either way.</summary>
    public double MaxAgeSeconds { get; set; } = 3600;

    /// <summary>How far in the future a request's timestamp may be (publishers' clocks run ahead).</summary>
    public double MaxClockSkewSeconds { get; set; } = 120;

    /// <summary>Publisher name → its key (base64 Key or a KeyFile holding the base64 key; at least 32 bytes).</summary>
    public Dictionary<string, PublisherKeyOptions> Publishers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key `pipeline unlearn` signs with.</summary>
    public SigningOptions Signing { get; set; } = new();

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (!(MaxAgeSeconds > 0)) yield return (nameof(MaxAgeSeconds), "must be a positive number of seconds");
        if (!(MaxClockSkewSeconds >= 0)) yield return (nameof(MaxClockSkewSeconds), "must be 0 or more seconds");
    }
}

public sealed class PublisherKeyOptions
{
    public string? Key { get; set; }
    public string? KeyFile { get; set; }
}

public sealed class SigningOptions
{
    public string? Publisher { get; set; }
    public string? Key { get; set; }
    public string? KeyFile { get; set; }
}
