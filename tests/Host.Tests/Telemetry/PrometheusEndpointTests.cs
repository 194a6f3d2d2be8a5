using System.Net;
using System.Net.Sockets;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Telemetry;

/// <summary>A real `pipeline serve` with Telemetry:Prometheus:Enabled, scraped over HTTP as Prometheus would.</summary>
public sealed class PrometheusEndpointTests : BrokerTest
{
    [Fact]
    public async Task Serve_with_the_prometheus_endpoint_enabled_exposes_the_events_it_handled_on_metrics()
    {
        var port = FreePort();
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = "node-metrics",
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:Prometheus:Url"] = $"http://localhost:{port}/metrics",
        };
        using var serve = new ServeProcess(settings);
        await using var client = await TestHost.StartAsync(PluginDirectory, new Dictionary<string, string?>(Settings), HostRole.Client);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        // Run control is broadcast to every node's own queue, so this node handles each StopTraining whatever else
        // shares the broker; publish until it has (its queue may not be bound yet when the first goes out).
        var scraped = "";
        var handled = await Eventually.TrueAsync(() =>
        {
            if (serve.HasExited)
                return true;
            client.Bus.Publish(new StopTraining(Guid.NewGuid(), 1, "metrics test", "test", DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
            scraped = TryScrape(http, port);
            return scraped.Contains("pipeline_events_handled_total{") && scraped.Contains("message_type=\"StopTraining\"");
        }, TimeSpan.FromSeconds(90));

        Assert.False(serve.HasExited, serve.Output);
        Assert.True(handled, $"no StopTraining in /metrics; last scrape:\n{scraped}\nserve output:\n{serve.Output}");
        Assert.Contains(scraped.Split('\n'), l => l.StartsWith("pipeline_events_handled_total{") && l.Contains("message_type=\"StopTraining\"") && l.Contains("outcome=\"ok\""));
        Assert.Contains(scraped.Split('\n'), l => l.StartsWith("pipeline_handler_duration_seconds_count{") && l.Contains("message_type=\"StopTraining\""));
        Assert.Contains("service_instance_id=\"node-metrics\"", scraped);
    }

    private static string TryScrape(HttpClient http, int port)
    {
        try
        {
            return http.GetStringAsync($"http://localhost:{port}/metrics").GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
            return ""; // not listening yet
        }
        catch (TaskCanceledException)
        {
            return "";
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
