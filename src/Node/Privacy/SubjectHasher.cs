using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Node.Privacy;

/// <summary>
/// Subject ids are personal data. Logs, faults and the audit ledger carry only HMAC-SHA256(salt, id): stable,
/// so an operator holding an id can find its entries, but not reversible by anyone without the salt.
/// </summary>
public sealed class SubjectHasher(byte[] salt)
{
    public string Hash(string subjectId)
    {
        var digest = HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(subjectId));
        return "subj_" + Convert.ToHexStringLower(digest.AsSpan(0, 12));
    }

    /// <summary>The configured salt, or one generated on first use and kept in a file so hashes stay stable across restarts.</summary>
    public static SubjectHasher FromConfiguration(PrivacyOptions options, string saltFile) =>
        FromConfiguration(options, () => SaltFromFile(saltFile));

    /// <summary>The configured salt, or the one <paramref name="generatedSalt"/> keeps (generating it on first use).</summary>
    public static SubjectHasher FromConfiguration(PrivacyOptions options, Func<byte[]> generatedSalt) =>
        new(options.SubjectHashSalt.Length > 0 ? Encoding.UTF8.GetBytes(options.SubjectHashSalt) : generatedSalt());

    /// <summary>The salt kept in <paramref name="saltFile"/>; a random one is written there first when the file is missing.</summary>
    public static byte[] SaltFromFile(string saltFile)
    {
        if (File.Exists(saltFile))
            return Convert.FromHexString(File.ReadAllText(saltFile).Trim());

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(saltFile))!);
        var salt = RandomNumberGenerator.GetBytes(32);
        var temporary = saltFile + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temporary, Convert.ToHexString(salt));
        // Another node may have created the file meanwhile: theirs wins, so every node hashes alike.
        try { File.Move(temporary, saltFile, overwrite: false); }
        catch (IOException) { File.Delete(temporary); }
        return Convert.FromHexString(File.ReadAllText(saltFile).Trim());
    }
}
