using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// `pipeline bench erasure` as users run it, against the test broker: one JSON document with each ledger's figures, every
/// request in the ledger, and nothing left behind. Figures are printed, never asserted against a time.
/// </summary>
public sealed class ErasureBenchCommandTests : BrokerTest
{
    private const int Requests = 200;
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    [Fact]
    public async Task Bench_erasure_json_reports_requests_per_second_into_sqlite_with_none_lost_and_removes_its_ledger()
    {
        var run = await BenchAsync(Settings, "sqlite");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var document = JsonDocument.Parse(run.StandardOutput);
        var sqlite = AssertFigures(document.RootElement, "sqlite");
        Assert.False(File.Exists(sqlite.GetProperty("ledger").GetString()), "the benchmark's SQLite ledger is deleted afterwards");
    }

    [SkippableFact]
    public async Task Bench_erasure_json_reports_requests_per_second_into_postgres_with_none_lost_and_drops_its_schema()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Ledger:ConnectionString"] = PostgresTestDatabase.Require() };

        var run = await BenchAsync(settings, "postgres");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var document = JsonDocument.Parse(run.StandardOutput);
        var postgres = AssertFigures(document.RootElement, "postgres");
        var schema = postgres.GetProperty("ledger").GetString()!.Split(" schema ")[1];
        Assert.StartsWith("bench_", schema);
        Assert.False(PostgresTestDatabase.SchemaExists(schema), $"the benchmark's schema {schema} is dropped afterwards");
    }

    [Fact]
    public async Task Bench_erasure_of_postgres_without_a_connection_string_is_bad_usage_before_anything_runs()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Ledger:ConnectionString"] = "", ["Ledger:ConnectionStringFile"] = "" };

        var run = await BenchAsync(settings, "sqlite,postgres");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--ledgers postgres needs a PostgreSQL database", run.StandardError);
        Assert.DoesNotContain("bench erasure: sqlite", run.StandardError);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public async Task Bench_erasure_without_ledgers_named_benches_sqlite_and_says_on_one_line_that_postgres_was_skipped()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Ledger:ConnectionString"] = "", ["Ledger:ConnectionStringFile"] = "" };

        var run = await PipelineProcess.RunAsync(_workingDirectory, settings, "bench", "erasure", "--requests", Requests.ToString(), "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var document = JsonDocument.Parse(run.StandardOutput);
        AssertFigures(document.RootElement, "sqlite");
        var skipped = Assert.Single(run.StandardError.Split('\n'), l => l.Contains("postgres skipped"));
        Assert.Contains("PIPELINE__Ledger__ConnectionString", skipped);
    }

    private Task<PipelineProcess.Result> BenchAsync(Dictionary<string, string?> settings, string ledgers) =>
        PipelineProcess.RunAsync(_workingDirectory, settings, "bench", "erasure", "--requests", Requests.ToString(), "--ledgers", ledgers, "--json");

    /// <summary>The keys (requests_per_second, p99_ms) and the extras, for one ledger; no request lost, duplicated or refused.</summary>
    private static JsonElement AssertFigures(JsonElement root, string ledger)
    {
        Assert.Equal([ledger, "transport", "broker", "machine"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("rabbitmq", root.GetProperty("transport").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("machine").GetString()));
        var figures = root.GetProperty(ledger);
        Assert.True(figures.GetProperty("requests_per_second").GetDouble() > 0);
        Assert.True(figures.GetProperty("p99_ms").GetDouble() >= figures.GetProperty("p50_ms").GetDouble());
        Assert.True(figures.GetProperty("p50_ms").GetDouble() > 0);
        Assert.True(figures.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(Requests, figures.GetProperty("requests").GetInt32());
        Assert.Equal(0, figures.GetProperty("lost").GetInt32());
        Assert.Equal(0, figures.GetProperty("duplicated").GetInt32());
        Assert.Equal(0, figures.GetProperty("refused").GetInt32());
        return figures;
    }
}
