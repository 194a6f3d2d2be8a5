using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Host.Privacy;

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
    public static SubjectHasher FromConfiguration(PrivacyOptions options, string saltFile)
    {
        if (options.SubjectHashSalt.Length > 0)
            return new SubjectHasher(Encoding.UTF8.GetBytes(options.SubjectHashSalt));
        if (File.Exists(saltFile))
            return new SubjectHasher(Convert.FromHexString(File.ReadAllText(saltFile).Trim()));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(saltFile))!);
        var salt = RandomNumberGenerator.GetBytes(32);
        var temporary = saltFile + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temporary, Convert.ToHexString(salt));
        // Another node may have created the file meanwhile: theirs wins, so every node hashes alike.
        try { File.Move(temporary, saltFile, overwrite: false); }
        catch (IOException) { File.Delete(temporary); }
        return new SubjectHasher(Convert.FromHexString(File.ReadAllText(saltFile).Trim()));
    }
}
