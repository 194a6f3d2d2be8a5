using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.Broker;

public sealed class FineTuneResumeTests : BrokerTest
{
    [Fact]
    public async Task A_serve_node_killed_mid_run_resumes_on_redelivery_without_repeating_an_epoch_or_its_events()
    {
        var tiny = TinyRun.Create(records: 96);
        var request = tiny.Request(epochs: 10);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);

        using (var first = new ServeProcess(NodeSettings("node-1")))
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => first.Output);
            await observer.Bus.Publish(request);
            var record = await RunRecords.WaitForAsync(runDirectory, r => r.Epochs.Count(e => e.EventsPublished) >= 2, () => first.Output);
            Assert.Equal(RunStatus.Running, record.Status); // killed mid-run, not after it
            first.Kill();
        }

        using var second = new ServeProcess(NodeSettings("node-2"));
        await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => second.Output);
        await observer.Bus.Publish(request with { Timestamp = DateTimeOffset.UtcNow }); // the redelivery
        var done = await observer.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));

        Assert.Equal(10, done.EpochsRun);
        var announced = observer.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId).Select(e => e.Epoch).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 10), announced); // every epoch once: none repeated, none lost
        var saved = observer.Observed<CheckpointSaved>().Where(c => c.RunId == request.RunId && c.Kind == "epoch").Select(c => c.Epoch).Order();
        Assert.Equal(Enumerable.Range(1, 10), saved);
        var run = RunStore.TryLoad(runDirectory)!;
        Assert.Equal(Enumerable.Range(1, 10), run.Epochs.Select(e => e.Epoch));
        Assert.Equal(RunStatus.Completed, run.Status);
    }

    [Fact]
    public async Task A_serve_node_killed_mid_run_takes_the_run_up_by_itself_when_it_starts_again_under_its_name()
    {
        var tiny = TinyRun.Create(records: 384); // epochs long enough that the kill lands mid-run even when this process stalls a moment
        var request = tiny.Request(epochs: 8);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);
        var settings = NodeSettings("node-1");
        settings["Storage:CheckpointRoot"] = tiny.RunsDirectory; // where the node looks for what it left unfinished
        settings["Storage:Roots:0"] = tiny.Root; // the base model and the data set

        using (var first = new ServeProcess(settings))
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => first.Output);
            await observer.Bus.Publish(request);
            var record = await RunRecords.WaitForAsync(runDirectory, r => r.Epochs.Count(e => e.EventsPublished) >= 2, () => first.Output);
            Assert.Equal(RunStatus.Running, record.Status);
            Assert.Equal("node-1", record.Node);
            first.Kill();
        }

        using var second = new ServeProcess(settings); // nothing is published again
        var done = await observer.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));

        Assert.Equal(8, done.EpochsRun);
        Assert.Equal(Enumerable.Range(1, 8), observer.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId).Select(e => e.Epoch).Order());
        Assert.Contains("left unfinished by this node", second.Output);
    }

    private Dictionary<string, string?> NodeSettings(string node) => new(Settings)
    {
        ["Node:Name"] = node,
        ["Plugins:Directory"] = PluginDirectory,
        ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
        ["FineTune:Threads"] = "1",
    };
}
