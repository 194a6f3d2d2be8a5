using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Bus;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Node.Torch;
using Pipeline.Node.Plugins;
using Pipeline.Node.Telemetry;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline serve`: the headless host. Consumers and plugins on the configured transport until SIGTERM/Ctrl-C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve",
            "Run headless: consume epoch-completed, epoch-scored, checkpoint-saved and unlearn-requested on the configured " +
            "transport (Bus:Transport), dispatching to the plugins in Plugins:Directory. Stops gracefully on SIGTERM or Ctrl-C. " +
            "With Telemetry:Prometheus:Enabled=true it serves its metrics at Telemetry:Prometheus:Url (http://localhost:9464/metrics); " +
            "`pipeline health` checks the node it would be. A broker that is down at start-up is waited for (the transport retries with backoff; the log says so).");
        command.SetAction(async (_, cancellationToken) =>
        {
            TorchRuntime.EnsureLoaded(); // plugins share the host's TorchSharp: fail now, clearly, rather than on the first message
            var builder = PipelineHostBuilder.Create(HostRole.Server, LogLevel.Information);
            builder.AddPrometheusEndpoint();
            builder.Services.AddSingleton<IUnfinishedWork<string>, UnfinishedRuns>(); // this node's runs a crash or a stop left unfinished
            using var host = builder.Build();
            Announce(host);
            try
            {
                // A broker that is down is waited for: the transport retries with backoff (BrokerConnectionReporter says so).
                await host.RunAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                CliOutput.Progress("pipeline: stopped before the broker answered; nothing was consumed");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Announce(IHost host)
    {
        var logger = host.Services.GetRequiredService<ILogger<PipelineHost>>();
        var catalog = host.Services.GetRequiredService<PluginCatalog>();
        var bus = host.Services.GetRequiredService<BusOptions>();
        logger.LogInformation("Serving on {Transport}{Where} as {Node}; {Count} plugins from {Directory}", bus.Transport,
            bus.Transport == BusTransport.RabbitMQ ? " " + bus.RabbitMQ.Describe() : "",
            host.Services.GetRequiredService<NodeIdentity>().Name, catalog.All.Count, catalog.DirectoryPath);
    }

    /// <summary>Log category of the host itself.</summary>
    private sealed class PipelineHost;
}
