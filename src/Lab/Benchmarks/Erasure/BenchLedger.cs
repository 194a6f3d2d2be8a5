using Npgsql;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Lab.Benchmarks.Erasure;

/// <summary>
/// A fresh, empty erasure ledger for one benchmark run, and the host settings that point at it; disposing it removes it.
/// SQLite: a file in a new temporary folder. PostgreSQL: a new schema (bench_…) in the configured database, dropped
/// afterwards, so a benchmark never writes into a real audit trail.
/// </summary>
public sealed class BenchLedger : IDisposable
{
    private readonly Action _remove;

    private BenchLedger(string name, IReadOnlyDictionary<string, string?> settings, Action remove)
    {
        Name = name;
        Settings = settings;
        _remove = remove;
    }

    /// <summary>"sqlite" or "postgres", the key of its figures.</summary>
    public string Name { get; }

    /// <summary>The Ledger:* settings of the benchmark host.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static BenchLedger Sqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"pipeline-bench-erasure-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new BenchLedger(LedgerProviders.Sqlite, new Dictionary<string, string?>
        {
            ["Ledger:Provider"] = LedgerProviders.Sqlite,
            ["Ledger:Path"] = Path.Combine(folder, "ledger.db"),
        }, () => Directory.Delete(folder, recursive: true));
    }

    /// <summary>A new schema in the database <paramref name="connectionString"/> names; the ledger creates it when it opens.</summary>
    public static BenchLedger Postgres(string connectionString)
    {
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..16];
        return new BenchLedger(LedgerProviders.Postgres, new Dictionary<string, string?>
        {
            ["Ledger:Provider"] = LedgerProviders.Postgres,
            ["Ledger:ConnectionString"] = connectionString,
            ["Ledger:ConnectionStringFile"] = "",
            ["Ledger:Schema"] = schema,
        }, () => DropSchema(connectionString, schema));
    }

    public void Dispose() => _remove();

    private static void DropSchema(string connectionString, string schema)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection); // our own name: bench_ and hex digits
        drop.ExecuteNonQuery();
    }
}
