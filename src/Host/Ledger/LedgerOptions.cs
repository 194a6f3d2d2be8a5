namespace Pipeline.Host.Ledger;

/// <summary>Configuration section "Ledger".</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>SQLite file of the erasure audit ledger; nodes on one host may share it.</summary>
    public string Path { get; set; } = "data/ledger.db";
}
