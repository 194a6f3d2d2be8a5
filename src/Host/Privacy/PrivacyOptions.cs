namespace Pipeline.Host.Privacy;

/// <summary>Configuration section "Privacy".</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Salt for hashing subject ids. Empty: a random salt is generated once and kept beside the ledger.</summary>
    public string SubjectHashSalt { get; set; } = "";
}
