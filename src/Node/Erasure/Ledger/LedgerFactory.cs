namespace Pipeline.Node.Erasure.Ledger;

/// <summary>Opens the ledger Ledger:Provider names, or says in one line which setting is wrong.</summary>
public static class LedgerFactory
{
    public static IErasureLedger Open(LedgerOptions options)
    {
        var provider = options.Provider.Trim();
        if (provider.Equals(LedgerProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
            return new SqliteErasureLedger(options.Path);
        if (provider.Equals(LedgerProviders.Postgres, StringComparison.OrdinalIgnoreCase))
            return new PostgresErasureLedger(PostgresConnectionString(options), options.Schema);
        throw new LedgerConfigurationException(
            $"Ledger:Provider '{options.Provider}' is not known; use '{LedgerProviders.Sqlite}' (default) or '{LedgerProviders.Postgres}'");
    }

    private static string PostgresConnectionString(LedgerOptions options)
    {
        var inline = options.ConnectionString.Trim();
        var file = options.ConnectionStringFile.Trim();
        if (inline.Length > 0 && file.Length > 0)
            throw new LedgerConfigurationException("Ledger:ConnectionString and Ledger:ConnectionStringFile are both set; set one");
        if (inline.Length > 0)
            return inline;
        if (file.Length == 0)
            throw new LedgerConfigurationException(
                "Ledger:Provider is postgres but no connection string is set: set PIPELINE__Ledger__ConnectionString or Ledger:ConnectionStringFile");
        if (!File.Exists(file))
            throw new LedgerConfigurationException($"Ledger:ConnectionStringFile '{file}' does not exist");
        var text = File.ReadAllText(file).Trim();
        return text.Length > 0 ? text : throw new LedgerConfigurationException($"Ledger:ConnectionStringFile '{file}' is empty");
    }
}
