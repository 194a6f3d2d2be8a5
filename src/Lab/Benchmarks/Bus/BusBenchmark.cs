using System.Diagnostics;
using FluentValidation;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Bus;
using Pipeline.Node.Hosting;

namespace Pipeline.Lab.Benchmarks.Bus;

/// <summary>
/// Publish→consume throughput and latency over one transport, through the same validation filter as the real
/// endpoints, on a throw-away endpoint (a temporary queue on RabbitMQ) so no real queue is touched.
/// </summary>
public static class BusBenchmark
{
    private const int MaxInFlightPublishes = 256;

    public static async Task<BusFigures> RunAsync(BusTransport transport, RabbitMqOptions rabbit, int events, int latencyRate,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFilter(_ => false);
        builder.Services.AddSingleton<BenchRecorder>();
        builder.Services.AddSingleton<MessageCounters>();
        builder.Services.AddSingleton(NodeIdentity.FromConfiguration("bench")); // named in refusal notices (none for pings)
        builder.Services.AddScoped<IValidator<BenchPing>, BenchPingValidator>();
        var endpointName = $"pipeline-bench-{Guid.NewGuid():N}";
        builder.Services.AddMassTransit(bus =>
        {
            UsageTelemetry.Apply(bus, enabled: false);
            bus.AddConsumer<BenchPingConsumer>().Endpoint(e =>
            {
                e.Name = endpointName;
                e.Temporary = true;
                e.ConcurrentMessageLimit = 32;
                e.PrefetchCount = 512;
            });
            if (transport == BusTransport.RabbitMQ)
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.ConnectTo(rabbit);
                    cfg.UseConsumeFilter(typeof(ValidationFilter<>), context);
                    cfg.ConfigureEndpoints(context);
                });
            else
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.UseConsumeFilter(typeof(ValidationFilter<>), context);
                    cfg.ConfigureEndpoints(context);
                });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(30);
        });

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var recorder = host.Services.GetRequiredService<BenchRecorder>();
            var runId = Guid.NewGuid();

            // Warm-up: connections, serializers and JIT out of the measurement.
            await PublishBurstAsync(bus, recorder, runId, Math.Min(500, events), cancellationToken);

            progress($"  throughput: {events} events");
            var clock = Stopwatch.StartNew();
            await PublishBurstAsync(bus, recorder, runId, events, cancellationToken);
            var eventsPerSecond = events / clock.Elapsed.TotalSeconds;

            var latencyEvents = Math.Max(100, Math.Min(events, latencyRate * 3));
            progress($"  latency: {latencyEvents} events paced at {latencyRate}/s");
            recorder.Expect(latencyEvents);
            await PublishPacedAsync(bus, runId, latencyEvents, latencyRate, cancellationToken);
            await recorder.AllReceived.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            var latencies = recorder.Latencies();
            Array.Sort(latencies);
            return new BusFigures(eventsPerSecond, Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.99), latencies[^1],
                events, latencyEvents, latencyRate);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task PublishBurstAsync(IBus bus, BenchRecorder recorder, Guid runId, int count, CancellationToken cancellationToken)
    {
        recorder.Expect(count);
        using var inFlight = new SemaphoreSlim(MaxInFlightPublishes);
        var publishes = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await inFlight.WaitAsync(cancellationToken);
            publishes.Add(PublishAsync(bus, runId, i, cancellationToken).ContinueWith(_ => inFlight.Release(), TaskScheduler.Default));
        }
        await Task.WhenAll(publishes);
        await recorder.AllReceived.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
    }

    /// <summary>Publishes at a steady rate: each millisecond tick sends what is due by then.</summary>
    private static async Task PublishPacedAsync(IBus bus, Guid runId, int count, int rate, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var publishes = new List<Task>(count);
        var sent = 0;
        while (sent < count)
        {
            var due = Math.Min(count, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
                publishes.Add(PublishAsync(bus, runId, sent, cancellationToken));
            await Task.Delay(1, cancellationToken);
        }
        await Task.WhenAll(publishes);
    }

    private static Task PublishAsync(IBus bus, Guid runId, long sequence, CancellationToken cancellationToken) =>
        bus.Publish(new BenchPing(runId, sequence, Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow), cancellationToken);
}
