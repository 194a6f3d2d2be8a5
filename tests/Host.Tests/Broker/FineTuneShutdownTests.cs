using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Hosting;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.Broker;

public sealed class FineTuneShutdownTests : BrokerTest
{
    [Fact]
    public async Task Sigterm_during_a_run_lets_the_epoch_in_progress_finish_and_be_announced_exits_zero_and_the_run_resumes_from_there()
    {
        var tiny = TinyRun.Create(records: 96);
        var request = tiny.Request(epochs: 12);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);

        RunRecord stopped;
        using (var first = new ServeProcess(NodeSettings("node-1")))
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => first.Output);
            await observer.Bus.Publish(request);
            await RunRecords.WaitForAsync(runDirectory, r => r.Epochs.Count(e => e.EventsPublished) >= 2, () => first.Output);

            first.Terminate();
            var code = await first.WaitForExitAsync(TimeSpan.FromMinutes(5)); // only ends a hung test: the host's own limit is 4.5 min
            Assert.True(code == 0, $"serve exited {code} on SIGTERM:\n{first.Output}");
            stopped = RunRecords.TryLoad(runDirectory)!;
            Assert.True(stopped.LastCompletedEpoch < 12, "the run ended before SIGTERM reached it: nothing was interrupted");
            // It stopped on an epoch boundary it chose, not wherever the signal fell: that epoch is recorded and announced.
            Assert.Contains($"stops for shutdown after epoch {stopped.LastCompletedEpoch}, checkpointed and announced", first.Output);
            Assert.Equal(RunStatus.Running, stopped.Status);
            Assert.All(stopped.Epochs, e => Assert.True(e.EventsPublished, $"epoch {e.Epoch} was saved but not announced"));
        }
        await observer.WaitForAsync<EpochCompleted>(e => e.RunId == request.RunId && e.Epoch == stopped.LastCompletedEpoch);

        using var second = new ServeProcess(NodeSettings("node-2"));
        await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => second.Output);
        await observer.Bus.Publish(request with { Timestamp = DateTimeOffset.UtcNow }); // the redelivery
        var done = await observer.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));

        Assert.Equal(12, done.EpochsRun);
        Assert.Contains($"resumes after epoch {stopped.LastCompletedEpoch}", second.Output);
        var announced = observer.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId).Select(e => e.Epoch).Order();
        Assert.Equal(Enumerable.Range(1, 12), announced); // every epoch once across the stop: none repeated, none lost
    }

    [Fact]
    public async Task Sigterm_mid_epoch_past_the_stop_grace_checkpoints_the_epoch_at_its_step_and_the_run_goes_on_from_there()
    {
        var tiny = TinyRun.Create(records: 3000); // epochs of several seconds: the signal lands inside one
        var request = tiny.Request(epochs: 3);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);
        var settings = NodeSettings("node-1");
        settings["FineTune:StopGraceSeconds"] = "0"; // no waiting for the epoch to finish: it pauses at its next step

        RunRecord stopped;
        using (var first = new ServeProcess(settings))
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => first.Output);
            await observer.Bus.Publish(request);
            await RunRecords.WaitForAsync(runDirectory, r => r.Epochs.Count(e => e.EventsPublished) >= 1, () => first.Output);
            await Task.Delay(TimeSpan.FromSeconds(1)); // into epoch 2

            first.Terminate();
            var code = await first.WaitForExitAsync(TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"serve exited {code} on SIGTERM:\n{first.Output}");
            stopped = RunRecords.TryLoad(runDirectory)!;
            Assert.True(stopped.PartialEpoch is not null, $"no epoch was paused (last finished: {stopped.LastCompletedEpoch}):\n{first.Output}");
        }
        var part = stopped.PartialEpoch!.Part;
        Assert.Equal(stopped.LastCompletedEpoch + 1, part.Epoch);
        Assert.True(part.StepsDone > 0);
        Assert.True(File.Exists(Path.Combine(stopped.PartialEpoch.Folder, Pipeline.Modelling.Checkpoints.CheckpointStore.WeightsFileName)));
        Assert.Equal(RunStatus.Running, stopped.Status);

        using var second = new ServeProcess(NodeSettings("node-2"));
        await QueueConsumers.WaitForAsync(VirtualHost, "start-fine-tune", 1, () => second.Output);
        await observer.Bus.Publish(request with { Timestamp = DateTimeOffset.UtcNow });
        var done = await observer.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));

        Assert.Equal(3, done.EpochsRun);
        Assert.Contains($"in epoch {part.Epoch} after step {part.StepsDone}", second.Output);
        Assert.Equal(Enumerable.Range(1, 3), observer.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId).Select(e => e.Epoch).Order());
        var run = RunStore.TryLoad(runDirectory)!;
        Assert.Null(run.PartialEpoch);
        Assert.False(Directory.Exists(stopped.PartialEpoch.Folder), "the paused epoch's checkpoint outlived the epoch");
    }

    private Dictionary<string, string?> NodeSettings(string node) => new(Settings)
    {
        ["Node:Name"] = node,
        ["Plugins:Directory"] = PluginDirectory,
        ["Ledger:Path"] = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db"),
        ["FineTune:Threads"] = "1",
    };
}
