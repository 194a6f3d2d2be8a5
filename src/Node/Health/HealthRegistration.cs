using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

using Pipeline.Node.Hosting;

namespace Pipeline.Node.Health;

public static class HealthRegistration
{
    /// <summary>Tag of Pipeline's own checks; MassTransit registers a bus check of its own, which needs a started bus.</summary>
    public const string Tag = "pipeline";

    /// <summary>The health checks (Health:*): broker, ledger, plugins, disk. `pipeline health` runs them once.</summary>
    public static IHostApplicationBuilder AddPipelineHealth(this IHostApplicationBuilder builder)
    {
        builder.AddSettings<HealthOptions>(HealthOptions.Section);
        var options = builder.Configuration.GetSection(HealthOptions.Section).Get<HealthOptions>() ?? new HealthOptions();
        // Each check gets a hard limit, so one that waits on a socket or a lock turns Unhealthy instead of hanging the report.
        var timeout = TimeSpan.FromSeconds(Math.Max(options.CheckTimeoutSeconds, options.BrokerTimeoutSeconds + 1));
        builder.Services.AddHealthChecks()
            .AddCheck<BrokerHealthCheck>("broker", HealthStatus.Unhealthy, [Tag], timeout)
            .AddCheck<LedgerHealthCheck>("ledger", HealthStatus.Unhealthy, [Tag], timeout)
            .AddCheck<PluginsHealthCheck>("plugins", HealthStatus.Unhealthy, [Tag], timeout)
            .AddCheck<DiskHealthCheck>("disk", HealthStatus.Unhealthy, [Tag], timeout);
        return builder;
    }
}
