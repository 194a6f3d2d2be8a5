using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Ledger;

/// <summary>Ledger:Provider picks the ledger; a setting that cannot work is named in a one-line error before anything starts.</summary>
public sealed class LedgerFactoryTests
{
    [Fact]
    public void Sqlite_is_the_default_provider()
    {
        var path = Path.Combine(TestPlugins.NewDirectory(), "ledger.db");

        var ledger = LedgerFactory.Open(new LedgerOptions { Path = path });

        Assert.IsType<SqliteErasureLedger>(ledger);
        Assert.Equal(Path.GetFullPath(path), ledger.Location);
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_known_ones()
    {
        var failure = Assert.Throws<LedgerConfigurationException>(() => LedgerFactory.Open(new LedgerOptions { Provider = "mysql" }));

        Assert.Equal("Ledger:Provider 'mysql' is not known; use 'sqlite' (default) or 'postgres'", failure.Message);
    }

    [Fact]
    public void Postgres_without_a_connection_string_says_where_to_give_one()
    {
        var failure = Assert.Throws<LedgerConfigurationException>(() => LedgerFactory.Open(new LedgerOptions { Provider = "postgres" }));

        Assert.Contains("PIPELINE__Ledger__ConnectionString", failure.Message);
        Assert.Contains("Ledger:ConnectionStringFile", failure.Message);
    }

    [Fact]
    public void A_missing_connection_string_file_is_named()
    {
        var file = Path.Combine(TestPlugins.NewDirectory(), "no-such-file");

        var failure = Assert.Throws<LedgerConfigurationException>(() =>
            LedgerFactory.Open(new LedgerOptions { Provider = "postgres", ConnectionStringFile = file }));

        Assert.Equal($"Ledger:ConnectionStringFile '{file}' does not exist", failure.Message);
    }

    [Fact]
    public void A_schema_name_that_would_need_quoting_is_refused()
    {
        var failure = Assert.Throws<LedgerConfigurationException>(() =>
            LedgerFactory.Open(new LedgerOptions { Provider = "postgres", ConnectionString = "Host=localhost", Schema = "x; DROP TABLE erasures" }));

        Assert.StartsWith("Ledger:Schema 'x; DROP TABLE erasures' must be", failure.Message);
    }
}
