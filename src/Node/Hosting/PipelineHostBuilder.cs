using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Bus;
using Pipeline.Node.Diagnostics;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Health;
using Pipeline.Node.Plugins;
using Pipeline.Node.Erasure.Security;
using Pipeline.Node.Storage;
using Pipeline.Node.Telemetry;
using Pipeline.Node.Torch;

namespace Pipeline.Node.Hosting;

/// <summary>
/// Builds the generic host every command runs in. Configuration: appsettings.json beside the executable, then
/// appsettings.json in the working directory, then PIPELINE__* environment variables (PIPELINE__Bus__Transport=RabbitMQ).
/// Logs go to stderr so that stdout carries only a command's output (Logging:Format text or json).
/// </summary>
public static class PipelineHostBuilder
{
    public static HostApplicationBuilder Create(HostRole role, LogLevel minimumLevel, IDictionary<string, string?>? overrides = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("PIPELINE__");
        if (overrides is not null)
            builder.Configuration.AddInMemoryCollection(overrides);

        builder.AddConnectionLog();
        builder.AddPipelineLogging(minimumLevel);

        builder.Services.AddSingleton(NodeIdentity.FromConfiguration(builder.Configuration["Node:Name"]));
        // SIGTERM: give consumers and the erasure processor time to finish or hand back their work.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = NodeShutdown.Grace - TimeSpan.FromSeconds(30));

        builder.AddPipelineStorage(role);
        builder.AddPipelinePlugins();
        builder.AddErasureLedger(role);
        builder.AddErasureSecurity(role);
        builder.AddTorchDevice(role);
        builder.AddPipelineBus(role);
        // After the bus: hosted services stop in reverse order, so the fine-tuning worker stops (finishing its epoch and
        // announcing it) while the bus is still up.
        builder.AddFineTuning(role);
        builder.AddPipelineHealth();
        builder.AddPipelineMetrics();
        return builder;
    }
}
