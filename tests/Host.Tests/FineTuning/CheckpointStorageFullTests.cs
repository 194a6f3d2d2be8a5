using System.Text.Json;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Storage;
using Xunit.Abstractions;
using Pipeline.Node.FineTuning;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.FineTuning;

/// <summary>A run whose checkpoints no longer fit stops cleanly, says why, damages nothing, and resumes once there is room.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class CheckpointStorageFullTests(ITestOutputHelper output)
{
    private static Dictionary<string, string?> InMemory => new() { ["Bus:Transport"] = "InMemory", ["FineTune:Threads"] = "1" };

    [Fact]
    public async Task The_free_space_guard_stops_a_run_before_its_first_checkpoint_and_a_redelivery_resumes_it_when_the_guard_allows()
    {
        var tiny = TinyRun.Create(records: 24);
        var request = tiny.Request(epochs: 2);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var settings = InMemory;
        settings["FineTune:MinFreeDiskBytes"] = (1L << 50).ToString(); // 1 PiB: more than any disk here has free

        // Two hosts (the second without the guard, as after an operator made room) are alive together: MassTransit's
        // log context outlives a disposed in-process host.
        await using var guarded = await TestHost.StartAsync(TestPlugins.NewDirectory(), settings);
        await guarded.Bus.Publish(request);
        var failed = await guarded.WaitForAsync<FineTuneFailed>(f => f.RunId == request.RunId, TimeSpan.FromMinutes(2));

        output.WriteLine(failed.Reason);
        Assert.StartsWith("checkpoint storage full: " + Path.Combine(runDirectory, "checkpoints") + " has ", failed.Reason);
        Assert.Contains($"bytes free, {1L << 50} needed for epoch 1's checkpoint (FineTune:MinFreeDiskBytes)", failed.Reason);
        var free = long.Parse(failed.Reason.Split(" has ")[1].Split(' ')[0]);
        Assert.InRange(free, 1, (1L << 50) - 1); // the real free space of the runs folder's file system
        Assert.True(failed.Resumable);
        Assert.Null(failed.LastCompletedEpoch);
        Assert.DoesNotContain(guarded.Observed<EpochCompleted>(), e => e.RunId == request.RunId); // stopped before training, not after
        Assert.Equal(RunStatus.Suspended, RunStore.TryLoad(runDirectory)!.Status);
        Assert.False(Directory.Exists(FineTuneRunner.CheckpointFolder(runDirectory, 1)));

        await using var unguarded = await TestHost.StartAsync(TestPlugins.NewDirectory(), InMemory);
        await unguarded.Bus.Publish(request with { Timestamp = DateTimeOffset.UtcNow });
        var done = await unguarded.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(2));
        Assert.Equal(2, done.EpochsRun);
        Assert.Equal(RunStatus.Completed, RunStore.TryLoad(runDirectory)!.Status);
    }

    [SkippableFact]
    public async Task A_full_file_system_stops_the_run_with_the_reason_leaves_no_partial_checkpoint_and_the_run_resumes_once_there_is_room()
    {
        var tiny = TinyRun.Create(records: 48);
        var request = tiny.Request(epochs: 6);
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var checkpoints = Path.Combine(runDirectory, "checkpoints");
        // The checkpoints folder is its own small file system with room for about two and a half checkpoints: epochs fit
        // until one meets ENOSPC while it is written. run.json and the report stay on the ordinary disk beside it.
        var checkpointBytes = EstimatedCheckpointBytes(tiny.BaseModel);
        using var disk = SmallFileSystem.Mount(checkpoints, checkpointBytes * 5 / 2);
        var settings = InMemory;
        settings["FineTune:MinFreeDiskBytes"] = "0"; // guard off: the file system itself must run out

        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), settings);
        await host.Bus.Publish(request);
        var failed = await host.WaitForAsync<FineTuneFailed>(f => f.RunId == request.RunId, TimeSpan.FromMinutes(3));

        output.WriteLine($"checkpoint ~{checkpointBytes} bytes, tmpfs {checkpointBytes * 5 / 2}: {failed.Reason}");
        var run = RunStore.TryLoad(runDirectory)!;
        var saved = run.LastCompletedEpoch;
        Assert.InRange(saved, 1, 5);
        Assert.StartsWith($"checkpoint storage full: writing epoch {saved + 1}'s checkpoint in {checkpoints} failed (", failed.Reason);
        Assert.Contains("bytes free", failed.Reason);
        Assert.True(failed.Resumable);
        Assert.Equal(saved, failed.LastCompletedEpoch);
        Assert.Equal(RunStatus.Suspended, run.Status);

        // Nothing half-written: no temp file anywhere, no folder for the epoch that did not fit, and every recorded
        // checkpoint loads and has the hash run.json gives it; the report is valid JSON.
        // (Only the checkpoints: run.json and report.json beside them are rewritten atomically, through a temp file,
        // whenever a late epoch score arrives, so a temp file may be there for a moment, by design.)
        Assert.Empty(Directory.EnumerateFiles(checkpoints, "*.tmp", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(FineTuneRunner.CheckpointFolder(runDirectory, saved + 1)));
        foreach (var epoch in run.Epochs)
        {
            using var model = CheckpointStore.Load(epoch.Checkpoint.Path, DeviceSelector.Resolve("cpu"));
            Assert.Equal(epoch.Checkpoint.Sha256, FileSha256.Of(Path.Combine(epoch.Checkpoint.Path, CheckpointStore.WeightsFileName)));
        }
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "report.json"))))
            Assert.Equal("suspended", report.RootElement.GetProperty("status").GetString());

        // Room is made (the volume grown): the same request resumes after the last saved epoch and finishes.
        var announcedBefore = host.Observed<EpochCompleted>().Count(e => e.RunId == request.RunId);
        disk.Resize(checkpointBytes * 20);
        await host.Bus.Publish(request with { Timestamp = DateTimeOffset.UtcNow });
        var done = await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(3));

        Assert.Equal(6, done.EpochsRun);
        Assert.Equal(RunStatus.Completed, RunStore.TryLoad(runDirectory)!.Status);
        Assert.Equal(saved, announcedBefore);
        var announced = host.Observed<EpochCompleted>().Where(e => e.RunId == request.RunId).Select(e => e.Epoch).Order();
        Assert.Equal(Enumerable.Range(1, 6), announced); // each epoch once, across the stop
    }

    /// <summary>A checkpoint folder of the tiny model: float32 weights and AdamW's two moments, headers and small files.</summary>
    private static long EstimatedCheckpointBytes(string baseModel)
    {
        using var model = CheckpointStore.Load(baseModel, DeviceSelector.Resolve("cpu"));
        var smallFiles = new DirectoryInfo(baseModel).EnumerateFiles().Where(f => f.Name != CheckpointStore.WeightsFileName).Sum(f => f.Length);
        return EpochCheckpointWriter.ExpectedBytes(null, model) + smallFiles + 32 * 1024;
    }
}
