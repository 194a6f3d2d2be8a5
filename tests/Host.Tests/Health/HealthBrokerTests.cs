using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Health;

/// <summary>`pipeline health` against the real broker: a reachable one is healthy, an unreachable one fails the report fast.</summary>
public sealed class HealthBrokerTests : BrokerTest
{
    private Dictionary<string, string?> NodeSettings()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        return new Dictionary<string, string?>(Settings)
        {
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
        };
    }

    [Fact]
    public async Task With_the_broker_up_health_connects_to_it_and_reports_healthy_with_exit_code_0()
    {
        var health = await PipelineProcess.RunAsync(Path.GetDirectoryName(PluginDirectory)!, NodeSettings(), "health", "--json");

        Assert.True(health.ExitCode == 0, health.StandardOutput + health.StandardError);
        using var report = JsonDocument.Parse(health.StandardOutput);
        Assert.Equal("healthy", report.RootElement.GetProperty("status").GetString());
        var broker = report.RootElement.GetProperty("checks").GetProperty("broker");
        Assert.Equal("healthy", broker.GetProperty("status").GetString());
        Assert.StartsWith("connected to amqp://", broker.GetProperty("description").GetString());
        Assert.Equal("rabbitmq", broker.GetProperty("data").GetProperty("transport").GetString());
    }

    [Fact]
    public async Task With_the_broker_port_closed_health_returns_exit_code_1_and_says_why_the_broker_is_unhealthy()
    {
        var settings = NodeSettings();
        settings["Bus:RabbitMQ:Port"] = "1"; // nothing listens there: the connection is refused

        // PipelineProcess fails the test if the command does not return; no timing is asserted.
        var health = await PipelineProcess.RunAsync(Path.GetDirectoryName(PluginDirectory)!, settings, "health", "--json");

        Assert.Equal(1, health.ExitCode);
        using var report = JsonDocument.Parse(health.StandardOutput);
        Assert.Equal("unhealthy", report.RootElement.GetProperty("status").GetString());
        var broker = report.RootElement.GetProperty("checks").GetProperty("broker");
        Assert.Equal("unhealthy", broker.GetProperty("status").GetString());
        var description = broker.GetProperty("description").GetString()!;
        Assert.StartsWith("cannot connect to amqp://", description);
        Assert.Contains(":1", description);
        // The other checks still ran and reported.
        Assert.Equal("healthy", report.RootElement.GetProperty("checks").GetProperty("ledger").GetProperty("status").GetString());
    }
}
