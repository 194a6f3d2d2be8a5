using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Node.Bus;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline bench erasure`: signed erasure requests accepted per second into each ledger, and their acknowledge latency.</summary>
public static class ErasureBenchCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var requests = new Option<int>("--requests") { Description = "Signed erasure requests per ledger (after 100 for warm-up).", DefaultValueFactory = _ => 2_000 };
        var ledgers = new Option<string>("--ledgers")
        {
            Description = "Comma-separated: sqlite, postgres. SQLite is a new file in a temporary folder; PostgreSQL is a new schema " +
                          "(bench_…) in the database of Ledger:ConnectionString (PIPELINE__Ledger__ConnectionString) or Ledger:ConnectionStringFile, dropped afterwards. " +
                          "Left out: every ledger that is configured (postgres only with a connection string; the skip is said on one line).",
            DefaultValueFactory = _ => "sqlite,postgres",
        };
        var transport = new Option<string>("--transport")
        {
            Description = "rabbitmq (the broker of Bus:RabbitMQ, PIPELINE__Bus__RabbitMQ__Host, ...; its configured virtual host) or in-memory.",
            DefaultValueFactory = _ => "rabbitmq",
        };
        var inFlight = new Option<int>("--in-flight") { Description = "Requests sent but not yet in the ledger, at most.", DefaultValueFactory = _ => 64 };
        var command = new Command("erasure",
            "Erasure requests accepted per second into the ledger, and p50/p99 acknowledge latency, for each ledger. A serve host " +
            "(the same consumers, validation, signature and nonce checks) runs in this process on its own randomly named queues, " +
            "deleted afterwards, with a publisher key made for the run; requests go straight to its queue, so other nodes on the broker " +
            "never see them. No forgetter runs: the figure is acceptance (the ledger's Received), not unlearning. Requests/s: from the " +
            "first send until the last request is in the ledger, with at most --in-flight unacknowledged. Latency: sent → the consumer " +
            "finished writing the request to the ledger (the broker ack follows), queueing behind the others in flight included. " +
            "Afterwards the ledger is read back: a request lost, duplicated or refused exits 1.")
        {
            json, requests, ledgers, transport, inFlight,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(requests) < 1) throw new UsageException("--requests must be at least 1");
            if (parse.GetValue(inFlight) < 1) throw new UsageException("--in-flight must be at least 1");
            var bus = ParseTransport(parse.GetValue(transport)!);
            var chosen = ParseLedgers(parse.GetValue(ledgers)!);

            var configuration = PipelineHostBuilder.Create(HostRole.Client, Microsoft.Extensions.Logging.LogLevel.Warning).Configuration;
            if (parse.GetResult(ledgers) is not { Implicit: false } && chosen.Contains(LedgerProviders.Postgres) && !PostgresConfigured(configuration))
            {
                // Not asked for by name: bench what this machine has, and say how to add the rest.
                chosen.Remove(LedgerProviders.Postgres);
                CliOutput.Progress("bench erasure: postgres skipped (no Ledger:ConnectionString or Ledger:ConnectionStringFile); " +
                                   "set PIPELINE__Ledger__ConnectionString to bench it too");
            }
            var rabbit = configuration.GetSection("Bus:RabbitMQ").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
            // Checked before any ledger is benched, so a missing database is a one-line bad usage, not a half-finished run.
            var postgres = chosen.Contains(LedgerProviders.Postgres) ? PostgresConnectionString(configuration) : null;
            var over = bus == BusTransport.RabbitMQ ? $"RabbitMQ at {rabbit.Describe()}" : "the in-memory bus";

            var results = new Dictionary<string, ErasureFigures>();
            foreach (var name in chosen)
            {
                CliOutput.Progress($"bench erasure: {name} over {over}");
                using var ledger = name == LedgerProviders.Sqlite ? BenchLedger.Sqlite() : BenchLedger.Postgres(postgres!);
                try
                {
                    results[name] = await ErasureBenchmark.RunAsync(bus, ledger, parse.GetValue(requests), parse.GetValue(inFlight), CliOutput.Progress,
                        cancellationToken);
                }
                catch (Exception e) when (e is not (OperationCanceledException or LedgerConfigurationException))
                {
                    throw new InvalidOperationException($"bench erasure on {name} over {over} failed: {e.Message}", e);
                }
            }

            if (parse.GetValue(json))
                WriteJson(results, bus, rabbit);
            else
                WriteTable(results, over);

            var failed = results.Values.Where(f => !f.NoLoss).ToList();
            foreach (var f in failed)
                CliOutput.Error($"{f.Ledger}: {f.Lost} lost, {f.Duplicated} duplicated, {f.Refused} refused of {f.Requests} requests (and the warm-up's)");
            return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static BusTransport ParseTransport(string value) => value.Trim().ToLowerInvariant() switch
    {
        "rabbitmq" => BusTransport.RabbitMQ,
        "in-memory" or "inmemory" or "in_memory" => BusTransport.InMemory,
        _ => throw new UsageException($"unknown transport '{value}' (use rabbitmq, in-memory)"),
    };

    private static List<string> ParseLedgers(string value)
    {
        var chosen = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.ToLowerInvariant() switch
            {
                LedgerProviders.Sqlite => LedgerProviders.Sqlite,
                LedgerProviders.Postgres or "postgresql" => LedgerProviders.Postgres,
                _ => throw new UsageException($"unknown ledger '{l}' (use sqlite, postgres)"),
            }).Distinct().ToList();
        return chosen.Count > 0 ? chosen : throw new UsageException("--ledgers names no ledger (use sqlite, postgres)");
    }

    private static bool PostgresConfigured(IConfiguration configuration)
    {
        var options = configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        return options.ConnectionString.Trim().Length > 0 || options.ConnectionStringFile.Trim().Length > 0;
    }

    private static string PostgresConnectionString(IConfiguration configuration)
    {
        var options = configuration.GetSection(LedgerOptions.Section).Get<LedgerOptions>() ?? new LedgerOptions();
        if (options.ConnectionString.Trim() is { Length: > 0 } inline)
            return inline;
        if (options.ConnectionStringFile.Trim() is { Length: > 0 } file)
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } text
                ? text
                : throw new UsageException($"Ledger:ConnectionStringFile '{file}' is missing or empty");
        throw new UsageException("--ledgers postgres needs a PostgreSQL database: set PIPELINE__Ledger__ConnectionString " +
                                 "(the benchmark makes and drops its own schema there), or bench only --ledgers sqlite");
    }

    private static void WriteJson(Dictionary<string, ErasureFigures> results, BusTransport bus, RabbitMqOptions rabbit)
    {
        var document = new Dictionary<string, object?>();
        foreach (var (name, f) in results)
            document[name] = new
            {
                requests_per_second = Math.Round(f.RequestsPerSecond, 1),
                p99_ms = Milliseconds(f.P99Ms),
                p50_ms = Milliseconds(f.P50Ms),
                max_ms = Milliseconds(f.MaxMs),
                requests = f.Requests,
                seconds = Math.Round(f.Seconds, 3),
                in_flight = f.InFlight,
                lost = f.Lost,
                duplicated = f.Duplicated,
                refused = f.Refused,
                ledger = f.Ledger,
            };
        document["transport"] = bus == BusTransport.RabbitMQ ? "rabbitmq" : "in_memory";
        if (bus == BusTransport.RabbitMQ)
            document["broker"] = rabbit.Describe();
        document["machine"] = MachineDescription.Current();
        CliOutput.WriteJson(document);
    }

    /// <summary>JSON has no NaN: a latency with no request to measure is null.</summary>
    private static double? Milliseconds(double value) => double.IsNaN(value) ? null : Math.Round(value, 3);

    private static void WriteTable(Dictionary<string, ErasureFigures> results, string over)
    {
        Console.WriteLine($"erasure benchmark over {over} on {MachineDescription.Current()}");
        Console.WriteLine($"  {"ledger",-9} {"requests",8} {"seconds",8} {"requests/s",10} {"p50 ms",8} {"p99 ms",8} {"lost",5}");
        foreach (var (name, f) in results)
            Console.WriteLine($"  {name,-9} {f.Requests,8} {f.Seconds,8:0.00} {f.RequestsPerSecond,10:0} {f.P50Ms,8:0.0} {f.P99Ms,8:0.0} {f.Lost,5}");
        Console.WriteLine($"  at most {results.Values.First().InFlight} requests unacknowledged; latency is sent → written to the ledger");
    }
}
