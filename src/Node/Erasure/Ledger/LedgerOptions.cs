using Pipeline.Node.Hosting;

namespace Pipeline.Node.Erasure.Ledger;

/// <summary>Configuration section "Ledger".</summary>
public sealed class LedgerOptions : ICheckedSettings
{
    public const string Section = "Ledger";

    /// <summary>
    /// Where the ledger is kept: "sqlite" (a file, <see cref="Path"/>; nodes on one host may share it) or "postgres"
    /// (a PostgreSQL database, <see cref="ConnectionString"/>; any number of nodes share one audit trail).
    /// </summary>
    public string Provider { get; set; } = LedgerProviders.Sqlite;

    /// <summary>SQLite file of the erasure audit ledger; nodes on one host may share it.</summary>
    public string Path { get; set; } = "data/ledger.db";

    /// <summary>
    /// Npgsql connection string of the PostgreSQL ledger. It holds a password: give it through the environment
    /// (PIPELINE__Ledger__ConnectionString) or <see cref="ConnectionStringFile"/>, never in a committed settings file.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>A file holding the PostgreSQL connection string (e.g. a mounted secret); used when ConnectionString is empty.</summary>
    public string ConnectionStringFile { get; set; } = "";

    /// <summary>PostgreSQL schema of the ledger's tables (created when missing): lets one database hold several ledgers.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>
    /// After an erasure request arrives, wait this long for more before starting, and carry out all that came in one
    /// unlearning run (when the forgetter can batch). 0 = each request on its own, at once.
    /// </summary>
    public double BatchWindowSeconds { get; set; }

    /// <summary>The most requests one batch takes.</summary>
    public int BatchMaxRequests { get; set; } = 100;

    public IEnumerable<(string Key, string Reason)> Problems()
    {
        if (Provider.Trim().ToLowerInvariant() is not (LedgerProviders.Sqlite or LedgerProviders.Postgres or "postgresql"))
            yield return (nameof(Provider), $"'{Provider}' is not {LedgerProviders.Sqlite} or {LedgerProviders.Postgres}");
        if (!(BatchWindowSeconds >= 0)) yield return (nameof(BatchWindowSeconds), "must be 0 or more seconds");
        if (BatchMaxRequests < 1) yield return (nameof(BatchMaxRequests), "must be at least 1");
    }
}
