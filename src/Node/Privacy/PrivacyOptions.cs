namespace Pipeline.Node.Privacy;

/// <summary>Configuration section "Privacy".</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Salt for hashing subject ids. Empty: a random salt is generated once and kept beside the SQLite ledger
    /// (subject-hash.salt) or in the PostgreSQL ledger (table ledger_secrets), so every node sharing the ledger hashes alike.
    /// </summary>
    public string SubjectHashSalt { get; set; } = "";
}
