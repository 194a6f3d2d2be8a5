using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Pipeline.Node.Health;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline health`: runs the health checks once, with the configuration `serve` would use, and exits 1 when any is
/// Unhealthy (0 when all are Healthy or some only Degraded), so a supervisor, a container probe or a script can act on it.
/// </summary>
public static class HealthCommand
{
    /// <summary>However the checks behave, the report is out within this (each check also has its own, shorter limit).</summary>
    private static readonly TimeSpan ReportLimit = TimeSpan.FromSeconds(60);

    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("health",
            "Check this node's health once, with the same configuration as `serve` (appsettings.json, PIPELINE__* variables): " +
            "broker (a real AMQP connection on RabbitMQ), ledger (a read), plugins (load errors), disk (free space for the runs " +
            "folder, Health:MinimumFreeDiskMegabytes). Exit 0 when healthy or degraded, 1 when any check is unhealthy.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The plugins are loaded once to see whether they load; no file watcher for a one-off report.
            var builder = PipelineHostBuilder.Create(HostRole.Client, LogLevel.Warning,
                new Dictionary<string, string?> { ["Plugins:HotReload"] = "false" });
            // The report is this command's output; the health service logging each failed check again would only repeat it.
            builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None);
            using var host = builder.Build();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(ReportLimit);
            var report = await host.Services.GetRequiredService<HealthCheckService>()
                .CheckHealthAsync(r => r.Tags.Contains(HealthRegistration.Tag), limit.Token);

            if (parse.GetValue(json))
                CliOutput.WriteJson(Document(report));
            else
                Print(report);
            return report.Status == HealthStatus.Unhealthy ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static object Document(HealthReport report) => new
    {
        Status = report.Status,
        Seconds = Math.Round(report.TotalDuration.TotalSeconds, 3),
        Checks = report.Entries.ToDictionary(e => e.Key, e => new
        {
            e.Value.Status,
            Description = DescriptionOf(e.Value),
            Seconds = Math.Round(e.Value.Duration.TotalSeconds, 3),
            Data = e.Value.Data,
        }),
    };

    private static void Print(HealthReport report)
    {
        Console.WriteLine($"{"check",-9} {"status",-10} {"seconds",8}  description");
        foreach (var (name, entry) in report.Entries)
            Console.WriteLine($"{name,-9} {entry.Status.ToString().ToLowerInvariant(),-10} {entry.Duration.TotalSeconds,8:0.000}  {DescriptionOf(entry)}");
        Console.WriteLine($"overall: {report.Status.ToString().ToLowerInvariant()}");
    }

    /// <summary>A check that threw or timed out may have no description of its own: its exception's message says what happened.</summary>
    private static string DescriptionOf(HealthReportEntry entry) =>
        (entry.Description ?? entry.Exception?.Message ?? "").ReplaceLineEndings(" ");
}
