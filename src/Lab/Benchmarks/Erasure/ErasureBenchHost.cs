using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Bus;
using Pipeline.Node.Erasure;
using Pipeline.Node.Hosting;
using Pipeline.Node.Scoring;
using Pipeline.Node.Erasure.Security;

namespace Pipeline.Lab.Benchmarks.Erasure;

/// <summary>
/// The host `pipeline serve` runs — same builder, consumers, definitions, validation filter, authenticator and ledger —
/// with four changes that keep a benchmark on a shared broker from touching real work: its endpoints carry a random
/// prefix (so it never takes messages from real nodes' queues) and are deleted when it stops; the bench publisher's key
/// is trusted; there are no plugins; and no erasure processor runs, because the benchmark measures acceptance into the
/// ledger, not unlearning (with no forgetter installed the processor would reject every request at once, a write per
/// request that a real forgetter, minutes per erasure, never makes).
/// </summary>
public static class ErasureBenchHost
{
    public const string Publisher = "bench";

    /// <summary>The host, not started, and the name of its unlearn-requested endpoint (the queue the requests go to).</summary>
    public static (IHost Host, string UnlearnEndpoint) Build(BusTransport transport, BenchLedger ledger, byte[] publisherKey, string pluginDirectory)
    {
        var overrides = new Dictionary<string, string?>(ledger.Settings)
        {
            ["Bus:Transport"] = transport.ToString(),
            ["Plugins:Directory"] = pluginDirectory,
            ["Plugins:HotReload"] = "false",
            ["Node:Name"] = "bench",
            [$"{ErasureSecurityOptions.Section}:RequireSignature"] = "true",
            [$"{ErasureSecurityOptions.Section}:Publishers:{Publisher}:Key"] = Convert.ToBase64String(publisherKey),
        };
        var builder = PipelineHostBuilder.Create(HostRole.Server, LogLevel.Warning, overrides);

        var endpointNames = new KebabCaseEndpointNameFormatter($"bench-{Guid.NewGuid():N}"[..18], false);
        builder.Services.Replace(ServiceDescriptor.Singleton<IEndpointNameFormatter>(endpointNames));
        builder.Services.AddSingleton<IConfigureReceiveEndpoint>(new DeletedWhenStopped());
        foreach (var processor in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ErasureProcessor)).ToList())
            builder.Services.Remove(processor);

        return (builder.Build(), endpointNames.Consumer<UnlearnRequestedConsumer>());
    }

    /// <summary>RabbitMQ queues (still durable, so persistent messages are written as on a real node) that go when the host does.</summary>
    private sealed class DeletedWhenStopped : IConfigureReceiveEndpoint
    {
        public void Configure(string name, IReceiveEndpointConfigurator configurator)
        {
            if (configurator is IRabbitMqReceiveEndpointConfigurator rabbit)
                rabbit.AutoDelete = true;
        }
    }
}
