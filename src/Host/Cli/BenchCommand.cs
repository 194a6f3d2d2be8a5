using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Bus;
using Pipeline.Node.Bus;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline bench NAME`: performance figures, printed (never asserted).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Performance figures, printed with the machine they came from: bus, erasure, training, decoding, ngram.");
        command.Subcommands.Add(CreateBus());
        command.Subcommands.Add(ErasureBenchCommand.Create());
        command.Subcommands.Add(TrainingBenchCommand.Create());
        command.Subcommands.Add(DecodingBenchCommand.Create());
        command.Subcommands.Add(NgramBenchCommand.Create());
        return command;
    }

    private static Command CreateBus()
    {
        var json = CommonOptions.Json();
        var events = new Option<int>("--events") { Description = "Messages in the throughput burst.", DefaultValueFactory = _ => 20_000 };
        var rate = new Option<int>("--rate") { Description = "Messages per second in the latency run.", DefaultValueFactory = _ => 2_000 };
        var transports = new Option<string>("--transports")
        {
            Description = "Comma-separated: in-memory, rabbitmq. RabbitMQ settings come from Bus:RabbitMQ (PIPELINE__Bus__RabbitMQ__Host, ...).",
            DefaultValueFactory = _ => "in-memory,rabbitmq",
        };
        var command = new Command("bus", "Events/s and p50/p99 publish→consume latency of each transport, through the validation filter.")
        {
            json, events, rate, transports,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(events) < 100) throw new UsageException("--events must be at least 100");
            if (parse.GetValue(rate) < 1) throw new UsageException("--rate must be at least 1");
            var chosen = parse.GetValue(transports)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.ToLowerInvariant() switch
                {
                    "in-memory" or "inmemory" or "in_memory" => BusTransport.InMemory,
                    "rabbitmq" => BusTransport.RabbitMQ,
                    _ => throw new UsageException($"unknown transport '{t}' (use in-memory, rabbitmq)"),
                }).Distinct().ToList();

            var configuration = PipelineHostBuilder.Create(HostRole.Client, Microsoft.Extensions.Logging.LogLevel.Warning).Configuration;
            var rabbit = configuration.GetSection("Bus:RabbitMQ").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
            var results = new Dictionary<string, BusFigures>();
            foreach (var transport in chosen)
            {
                var key = transport == BusTransport.InMemory ? "in_memory" : "rabbitmq";
                CliOutput.Progress($"bench bus: {key}{(transport == BusTransport.RabbitMQ ? " at " + rabbit.Describe() : "")}");
                try
                {
                    results[key] = await BusBenchmark.RunAsync(transport, rabbit, parse.GetValue(events), parse.GetValue(rate), CliOutput.Progress, cancellationToken);
                }
                catch (Exception e) when (transport == BusTransport.RabbitMQ && e is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"RabbitMQ at {rabbit.Describe()} did not answer ({e.Message}); start a broker (./test.sh does) or bench only --transports in-memory", e);
                }
            }

            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new
                {
                    Machine = MachineDescription.Current(),
                    Transports = results.ToDictionary(r => r.Key, r => new
                    {
                        events_per_second = Math.Round(r.Value.EventsPerSecond, 1),
                        p50_ms = Math.Round(r.Value.P50Ms, 3),
                        p99_ms = Math.Round(r.Value.P99Ms, 3),
                        max_ms = Math.Round(r.Value.MaxMs, 3),
                        events = r.Value.Events,
                        latency_events = r.Value.LatencyEvents,
                        latency_rate_per_second = r.Value.LatencyRate,
                    }),
                });
            }
            else
            {
                Console.WriteLine($"bus benchmark on {MachineDescription.Current()}");
                Console.WriteLine($"  {"transport",-10} {"events/s",10} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
                foreach (var (key, f) in results)
                    Console.WriteLine($"  {key,-10} {f.EventsPerSecond,10:0} {f.P50Ms,8:0.00} {f.P99Ms,8:0.00} {f.MaxMs,8:0.00}");
                if (results.TryGetValue("rabbitmq", out var r) && results.TryGetValue("in_memory", out var m))
                    Console.WriteLine($"  in-memory/rabbitmq throughput ratio: {m.EventsPerSecond / r.EventsPerSecond:0.0}x");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
