using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Xunit.Abstractions;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.Broker;

public sealed class FineTuneBrokerRestartTests(ITestOutputHelper output) : BrokerTest
{
    [Fact]
    public async Task A_broker_restarted_while_epochs_train_loses_no_epoch_event_and_the_run_completes_with_each_epoch_announced_once()
    {
        Assert.True(Support.Broker.MayRestart,
            "This test restarts the broker and needs PIPELINE_TEST_BROKER_CONTROL=1 with a local broker: run it with ./test.sh.");
        var tiny = TinyRun.Create(records: 96);
        var request = tiny.Request(epochs: 12);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        // Declared before the run: it keeps every copy the broker accepted, across the restart.
        var events = await DurableEventQueue.DeclareAsync(VirtualHost,
            typeof(EpochCompleted), typeof(CheckpointSaved), typeof(EpochScored), typeof(EpochReviewed), typeof(FineTuneCompleted), typeof(FineTuneFailed));

        using var serve = new ServeProcess(NodeSettings("node-restart"));
        await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => serve.Output);
        await using (var client = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client))
            await client.Bus.Publish(request);
        await RunRecords.WaitForAsync(runDirectory, r => r.Epochs.Count(e => e.EventsPublished) >= 2, () => serve.Output);

        // The outage must catch the worker publishing an epoch's events (not, by chance, only waiting for a verdict that
        // cannot come while the broker is down): it lasts until run.json shows an epoch saved but not yet announced.
        var caughtPublishing = false;
        for (var outage = 1; outage <= 3 && !caughtPublishing; outage++)
        {
            Support.Broker.StopApplication();
            try
            {
                caughtPublishing = await Eventually.TrueAsync(() => RunRecords.TryLoad(runDirectory) is { } r
                    && (r.Epochs.Any(e => !e.EventsPublished) || r.Status != RunStatus.Running), TimeSpan.FromSeconds(20));
            }
            finally
            {
                Support.Broker.StartApplication();
            }
            output.WriteLine($"outage {outage}: the worker {(caughtPublishing ? "was" : "was not")} publishing during it");
        }
        Assert.True(caughtPublishing, "three broker outages never overlapped the worker publishing an epoch's events");

        var deliveries = new List<DurableEventQueue.Delivery>();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!deliveries.Any(d => d.MessageType is nameof(FineTuneCompleted) or nameof(FineTuneFailed)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the run never ended after the restart; serve output:\n{serve.Output}");
            await Task.Delay(500);
            deliveries.AddRange(await events.DrainAsync());
        }

        foreach (var line in serve.Output.Split('\n').Where(l => l.Contains("not published") || l.Contains("published at attempt")))
            output.WriteLine("serve: " + line.Trim()); // whether publishing failed during the outage, or only waited

        var failure = deliveries.FirstOrDefault(d => d.MessageType == nameof(FineTuneFailed));
        Assert.True(failure is null, $"the run failed: {failure?.Message}\nserve output:\n{serve.Output}");
        var run = RunRecords.TryLoad(runDirectory)!;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(Enumerable.Range(1, 12), run.Epochs.Select(e => e.Epoch));
        Assert.All(run.Epochs, e => Assert.True(e.EventsPublished));

        // Each epoch's events: at least one copy (none lost), and every copy the same message (a re-sent or redelivered
        // copy carries its message id, so consumers absorb it): one event per epoch.
        var mine = deliveries.Where(d => d.RunId == request.RunId).ToList();
        foreach (var (type, kind) in new[] { (nameof(EpochCompleted), null), (nameof(CheckpointSaved), "epoch"), (nameof(EpochScored), null), (nameof(EpochReviewed), null) })
        {
            var ofType = mine.Where(d => d.MessageType == type && (kind is null || d.Kind == kind)).ToList();
            output.WriteLine($"{type}: {ofType.Count} copies of {ofType.Select(d => d.MessageId).Distinct().Count()} messages");
            Assert.Equal(Enumerable.Range(1, 12), ofType.Select(d => d.Epoch!.Value).Distinct().Order());
            foreach (var epoch in ofType.GroupBy(d => d.Epoch))
                Assert.True(epoch.Select(d => d.MessageId).Distinct().Count() == 1,
                    $"{type} of epoch {epoch.Key} went out as {epoch.Select(d => d.MessageId).Distinct().Count()} different messages");
        }
        Assert.Single(mine.Where(d => d.MessageType == nameof(FineTuneCompleted)).Select(d => d.MessageId).Distinct());
    }

    private Dictionary<string, string?> NodeSettings(string node) => new(Settings)
    {
        ["Node:Name"] = node,
        ["Plugins:Directory"] = PluginDirectory,
        ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
        ["FineTune:Threads"] = "1",
    };
}
