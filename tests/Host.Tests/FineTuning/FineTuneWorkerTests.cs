using System.Text.Json;
using Pipeline.Contracts.Messages;
using Pipeline.Host.FineTuning;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;

namespace Pipeline.Host.Tests.FineTuning;

/// <summary>The fine-tuning worker on the in-memory bus: a real (tiny) model trained through the real consumers and plugins.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class FineTuneWorkerTests
{
    private static Dictionary<string, string?> InMemory => new() { ["Bus:Transport"] = "InMemory", ["FineTune:Threads"] = "1" };

    [Fact]
    public async Task A_run_trains_publishes_each_epoch_once_obeys_the_policy_and_writes_its_report()
    {
        var tiny = TinyRun.Create();
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "RecordingPlugins", "RecordingPlugins");
        await using var host = await TestHost.StartAsync(plugins, InMemory);
        var request = tiny.Request(epochs: 6);

        await host.Bus.Publish(request);
        var done = await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));

        // The test policy raises lambda after epochs 1 and 2 and stops at 3.
        Assert.Equal(3, done.EpochsRun);
        Assert.Equal(3, done.StoppedAtEpoch);
        Assert.StartsWith("stop-at-three:", done.StopReason);
        Assert.Equal([1, 2, 3], host.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId).Select(e => e.Epoch).Order());

        var run = RunStore.TryLoad(RunStore.RunDirectory(request.RunsDirectory, request.RunId))!;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal([0, 0.1, 0.2], run.Epochs.Select(e => Math.Round(e.Lambda, 6)));
        Assert.True(run.Epochs.Last().TrainLoss < run.Epochs.First().TrainLoss, "training loss should fall");

        using var report = JsonDocument.Parse(File.ReadAllText(done.ReportPath));
        var epochs = report.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(3, epochs.Count);
        Assert.Equal(2, epochs[1].GetProperty("recorded_epoch").GetDouble()); // the scorer's metric reached the report
        Assert.False(epochs[0].TryGetProperty("ngram_score", out _)); // no memorisation scorer installed: absent, not zero
        Assert.Equal(3, report.RootElement.GetProperty("stopped_at_epoch").GetInt32());
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(done.ReportPath)!, "memorisation.png")));

        // Every checkpoint is a loadable model folder whose hash is the one announced.
        foreach (var epoch in host.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId))
        {
            using var model = CheckpointStore.Load(epoch.Checkpoint.Path, DeviceSelector.Resolve("cpu"));
            Assert.Equal(epoch.Checkpoint.Sha256, Sha256(Path.Combine(epoch.Checkpoint.Path, CheckpointStore.WeightsFileName)));
        }
        Assert.Contains(host.Observed<CheckpointSaved>(), c => c.RunId == request.RunId && c.Kind == "best" && c.Epoch == done.BestEpoch);
    }

    [Fact]
    public async Task A_corrupt_base_checkpoint_fails_the_run_with_a_reason_naming_the_file()
    {
        var tiny = TinyRun.Create(records: 12);
        var weights = Path.Combine(tiny.BaseModel, CheckpointStore.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), InMemory);
        var request = tiny.Request(epochs: 2);

        await host.Bus.Publish(request);
        var failed = await host.WaitForAsync<FineTuneFailed>(f => f.RunId == request.RunId, TimeSpan.FromMinutes(2));

        Assert.Contains("model.safetensors", failed.Reason);
        Assert.Null(failed.LastCompletedEpoch);
        Assert.Equal(RunStatus.Failed, RunStore.TryLoad(RunStore.RunDirectory(request.RunsDirectory, request.RunId))!.Status);
    }

    [Fact]
    public async Task A_malformed_data_line_fails_the_run_with_its_line_number()
    {
        var tiny = TinyRun.Create(records: 12);
        File.AppendAllText(tiny.DataPath, "{\"id\": \"x\", \"text\": \"no subject\"}\n");
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), InMemory);
        var request = tiny.Request(epochs: 1);

        await host.Bus.Publish(request);
        var failed = await host.WaitForAsync<FineTuneFailed>(f => f.RunId == request.RunId, TimeSpan.FromMinutes(2));

        Assert.Contains("tickets.jsonl:13", failed.Reason);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
