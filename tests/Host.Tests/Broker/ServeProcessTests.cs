using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Hosting;
using Pipeline.Host.Ledger;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Broker;

public sealed class ServeProcessTests : BrokerTest
{
    [Fact]
    public async Task Two_serve_processes_on_one_broker_share_the_work_and_handle_each_message_once()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var ledgerPath = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "shared-ledger.db");
        using var nodeA = new ServeProcess(NodeSettings("node-a", ledgerPath));
        using var nodeB = new ServeProcess(NodeSettings("node-b", ledgerPath));
        await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 2, () => nodeA.Output + nodeB.Output);

        await using var client = await TestHost.StartAsync(PluginDirectory,
            new Dictionary<string, string?>(Settings) { ["Ledger:Path"] = ledgerPath }, HostRole.Client);
        var requests = Enumerable.Range(0, 24).Select(i => Messages.Unlearn($"subject-{i}")).ToList();
        foreach (var request in requests)
            await client.Bus.Publish(request);
        foreach (var request in requests)
            await client.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId, TimeSpan.FromSeconds(120));

        var outcomes = client.Observed<UnlearningCompleted>();
        Assert.Equal(requests.Count, outcomes.Count);
        Assert.Equal(requests.Count, outcomes.Select(o => o.RequestId).Distinct().Count());
        Assert.Equal(["node-a", "node-b"], outcomes.Select(o => o.HandledBy).Distinct().Order());

        var ledger = client.Services.GetRequiredService<IErasureLedger>();
        foreach (var request in requests)
        {
            var record = ledger.Find(request.RequestId)!;
            Assert.Single(record.Transitions, t => t.State == ErasureState.Received);
            Assert.Single(record.Transitions, t => t.State == ErasureState.Completed);
        }
    }

    [Fact]
    public async Task Serve_stops_gracefully_on_sigterm_with_exit_code_zero()
    {
        using var serve = new ServeProcess(NodeSettings("node-term", Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db")));
        await QueueConsumers.WaitForAsync(VirtualHost, "epoch-completed", 1, () => serve.Output);

        serve.Terminate();

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private Dictionary<string, string?> NodeSettings(string node, string ledgerPath) => new(Settings)
    {
        ["Node:Name"] = node,
        ["Plugins:Directory"] = PluginDirectory,
        ["Ledger:Path"] = ledgerPath,
    };
}
