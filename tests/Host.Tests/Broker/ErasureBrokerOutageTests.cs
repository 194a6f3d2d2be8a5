using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Broker;

/// <summary>
/// An erasure that ends while the broker is down: the node does not stop (the outcome waits in the ledger and goes out
/// once the broker is back), and it goes on handling what comes next.
/// </summary>
public sealed class ErasureBrokerOutageTests : BrokerTest
{
    [Fact]
    public async Task An_erasure_ending_during_a_broker_outage_is_announced_once_the_broker_is_back_and_the_node_keeps_working()
    {
        Assert.True(Support.Broker.MayRestart,
            "This test stops the broker and needs PIPELINE_TEST_BROKER_CONTROL=1 with a local broker: run it with ./test.sh.");
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var folder = Path.GetDirectoryName(PluginDirectory)!;
        var pause = Path.Combine(folder, "pause-Verified");
        File.WriteAllText(pause, "");
        var first = Messages.Unlearn($"pause-after:Verified:{pause}");
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = "node-outage",
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(folder, "ledger.db"),
        };
        var ledger = new SqliteErasureLedger(settings["Ledger:Path"]!);
        var outcomes = await DurableEventQueue.DeclareAsync(VirtualHost, typeof(UnlearningCompleted), typeof(UnlearningRejected));
        using var serve = new ServeProcess(settings);
        await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 1, () => serve.Output);
        await using var client = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);
        await client.Bus.Publish(first);
        Assert.True(await Eventually.TrueAsync(() => ledger.Find(first.RequestId)?.State == ErasureState.Verified, TimeSpan.FromMinutes(1)),
            $"the erasure never reached Verified; serve output:\n{serve.Output}");

        Support.Broker.StopApplication();
        try
        {
            File.Delete(pause); // the forgetter finishes while nothing can be published
            Assert.True(await Eventually.TrueAsync(() => ledger.Find(first.RequestId)?.State == ErasureState.Completed, TimeSpan.FromMinutes(1)),
                $"the erasure never completed; serve output:\n{serve.Output}");
            await Task.Delay(TimeSpan.FromSeconds(2)); // let the announcement meet the outage
            Assert.False(serve.HasExited, $"the node stopped during the outage:\n{serve.Output}");
        }
        finally
        {
            Support.Broker.StartApplication();
        }

        var second = Messages.Unlearn("after-the-outage");
        var deliveries = new List<DurableEventQueue.Delivery>();
        var published = false;
        Exception? lastFailure = null;
        for (var deadline = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < deadline && !deliveries.Any(d => RequestId(d) == second.RequestId);)
        {
            if (!published)
            {
                try
                {
                    using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await client.Bus.Publish(second, attempt.Token);
                    published = true;
                }
                catch (Exception failure)
                {
                    lastFailure = failure; // the broker is still coming back
                }
            }
            deliveries.AddRange(await outcomes.DrainAsync());
            await Task.Delay(500);
        }

        Assert.False(serve.HasExited, $"the node stopped:\n{serve.Output}");
        Assert.Equal(nameof(UnlearningCompleted), Assert.Single(deliveries.Where(d => RequestId(d) == first.RequestId).DistinctBy(d => d.MessageId)).MessageType);
        Assert.True(deliveries.Any(d => RequestId(d) == second.RequestId && d.MessageType == nameof(UnlearningCompleted)),
            $"the request after the outage was not answered (published: {published}, {lastFailure?.Message}, ledger: {ledger.Find(second.RequestId)?.State}); serve output:\n{serve.Output}");
        Assert.Empty(ledger.Unannounced("node-outage"));
    }

    private static Guid RequestId(DurableEventQueue.Delivery delivery) => delivery.Message.GetProperty("requestId").GetGuid();
}
