namespace Pipeline.Node.Erasure.Ledger;

/// <summary>The values of Ledger:Provider.</summary>
public static class LedgerProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}
