using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Broker;

/// <summary>A node started before its broker waits for it, says so, and works once the broker answers; stopped while waiting, it exits cleanly.</summary>
public sealed class LateBrokerTests : BrokerTest
{
    [Fact]
    public async Task Serve_started_before_the_broker_says_it_is_waiting_and_handles_requests_once_the_broker_answers()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        using var port = new LateBrokerPort();
        using var serve = new ServeProcess(NodeSettings(port.Port));

        Assert.True(await Eventually.TrueAsync(() => serve.Output.Contains("not reachable (Connection refused); retrying with backoff"), TimeSpan.FromSeconds(60)),
            "serve never said it was waiting for the broker:\n" + serve.Output);
        Assert.False(serve.HasExited);
        port.Open();
        await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 1, () => serve.Output);

        await using var client = await TestHost.StartAsync(PluginDirectory, new Dictionary<string, string?>(Settings), HostRole.Client);
        var request = Messages.Unlearn("late-broker");
        await client.Bus.Publish(request);
        var done = await client.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId, TimeSpan.FromSeconds(120));
        Assert.Equal("late-node", done.HandledBy);
    }

    [Fact]
    public async Task Serve_stopped_while_waiting_for_the_broker_exits_0_and_says_nothing_was_consumed()
    {
        using var port = new LateBrokerPort();
        using var serve = new ServeProcess(NodeSettings(port.Port));
        Assert.True(await Eventually.TrueAsync(() => serve.Output.Contains("retrying with backoff"), TimeSpan.FromSeconds(60)), serve.Output);

        serve.Terminate();

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("stopped before the broker answered", serve.Output);
    }

    private Dictionary<string, string?> NodeSettings(int port) => new(Settings)
    {
        ["Node:Name"] = "late-node",
        ["Plugins:Directory"] = PluginDirectory,
        ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
        ["Bus:RabbitMQ:Port"] = port.ToString(),
    };
}
