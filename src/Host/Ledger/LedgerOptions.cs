namespace Pipeline.Host.Ledger;

/// <summary>Configuration section "Ledger".</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>SQLite file of the erasure audit ledger; nodes on one host may share it.</summary>
    public string Path { get; set; } = "data/ledger.db";

    /// <summary>
    /// After an erasure request arrives, wait this long for more before starting, and carry out all that came in one
    /// unlearning run (when the forgetter can batch). 0 = each request on its own, at once.
    /// </summary>
    public double BatchWindowSeconds { get; set; }

    /// <summary>The most requests one batch takes.</summary>
    public int BatchMaxRequests { get; set; } = 100;
}
