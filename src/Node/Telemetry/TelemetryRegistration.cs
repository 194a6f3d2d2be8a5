using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The Pipeline meter and the bus observers that feed it; every command has them, only some export them.</summary>
    public static IHostApplicationBuilder AddPipelineMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<LatestRunMetrics>();
        builder.Services.AddSingleton<PipelineMetrics>();
        builder.Services.AddConsumeObserver<HandlerMetricsObserver>();
        builder.Services.AddPublishObserver<ErasureOutcomeObserver>();
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint (Telemetry:Prometheus:*), for the long-running commands (`serve`, `finetune`);
    /// nothing when it is not enabled.
    /// </summary>
    public static IHostApplicationBuilder AddPrometheusEndpoint(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Prometheus.Enabled)
            return builder;

        var (host, port, path) = options.Prometheus.Endpoint();
        var node = NodeIdentity.FromConfiguration(builder.Configuration["Node:Name"]);
        builder.Services.AddOpenTelemetry()
            // target_info names the node, so a fleet's series can be told apart even behind one scrape job.
            .ConfigureResource(resource => resource.AddService("pipeline", serviceInstanceId: node.Name, autoGenerateServiceInstanceId: false))
            .WithMetrics(metrics => metrics
                .AddMeter(PipelineMetrics.MeterName)
                .AddPrometheusHttpListener(listener =>
                {
                    listener.Host = host;
                    listener.Port = port;
                    listener.ScrapeEndpointPath = path;
                }));
        return builder;
    }
}
