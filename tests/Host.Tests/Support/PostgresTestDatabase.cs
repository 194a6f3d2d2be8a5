using Npgsql;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// The real PostgreSQL the ledger tests need. ./test.sh starts a throwaway cluster and sets PIPELINE_TEST_POSTGRES
/// (an Npgsql connection string) and PIPELINE_TEST_REQUIRE_POSTGRES=1. Without it these tests fail under CI (CI set)
/// or when it is required, and are skipped, saying why, on a developer box.
/// </summary>
public static class PostgresTestDatabase
{
    private static string? ConnectionString => Environment.GetEnvironmentVariable("PIPELINE_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    private static bool Required =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_REQUIRE_POSTGRES") == "1" ||
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether PIPELINE_TEST_POSTGRES names a database (tests may have made schemas there to drop).</summary>
    public static bool Configured => ConnectionString is not null;

    /// <summary>The connection string; fails or skips the calling test (see the class) when there is none.</summary>
    public static string Require()
    {
        if (ConnectionString is { } connectionString)
            return connectionString;
        const string reason = "PIPELINE_TEST_POSTGRES is not set: no PostgreSQL for the ledger tests. Run the tests with ./test.sh, which starts one";
        if (Required)
            throw new InvalidOperationException(reason + " (they are required here: CI or PIPELINE_TEST_REQUIRE_POSTGRES=1).");
        Skip.If(true, reason + ".");
        return "";
    }

    /// <summary>A schema name no other test uses; the ledger creates the schema when it first opens it.</summary>
    public static string NewSchemaName() => "pipeline_test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Drops a test's schema and everything in it, so a test run leaves nothing behind.</summary>
    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(Require());
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection); // a name from NewSchemaName
        command.ExecuteNonQuery();
    }

    /// <summary>Whether the schema is (still) in the test database.</summary>
    public static bool SchemaExists(string schema)
    {
        using var connection = new NpgsqlConnection(Require());
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = @schema", connection);
        command.Parameters.AddWithValue("schema", schema);
        return (long)command.ExecuteScalar()! > 0;
    }

    /// <summary>Every row of every table in the schema, as text: all that someone with SQL access to the ledger can read.</summary>
    public static string SchemaText(string schema)
    {
        using var connection = new NpgsqlConnection(Require());
        connection.Open();
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = @schema", connection))
        {
            list.Parameters.AddWithValue("schema", schema);
            using var reader = list.ExecuteReader();
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }
        var text = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            using var rows = new NpgsqlCommand($"SELECT t::text FROM {schema}.{table} t", connection);
            using var reader = rows.ExecuteReader();
            while (reader.Read())
                text.AppendLine(reader.GetString(0));
        }
        return text.ToString();
    }

    /// <summary>Ledger settings for a host on the test database and the given schema.</summary>
    public static Dictionary<string, string?> HostSettings(string schema) => new()
    {
        ["Ledger:Provider"] = LedgerProviders.Postgres,
        ["Ledger:ConnectionString"] = Require(),
        ["Ledger:Schema"] = schema,
    };
}
