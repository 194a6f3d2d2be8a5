using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;
using Pipeline.Node.FineTuning;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.FineTuning;

/// <summary>The fine-tuning worker on the in-memory bus: a real (tiny) model trained through the real consumers and plugins.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class FineTuneWorkerTests
{
    private static Dictionary<string, string?> InMemory => new() { ["Bus:Transport"] = "InMemory", ["FineTune:Threads"] = "1" };

    [Fact]
    public async Task A_run_the_node_refuses_ends_the_followers_wait_with_the_nodes_reason_and_nothing_is_written()
    {
        var tiny = TinyRun.Create();
        var settings = InMemory;
        settings["Storage:CheckpointRoot"] = Path.Combine(tiny.Root, "the-nodes-runs");
        settings["Storage:Roots:0"] = tiny.Root;
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), settings);
        var request = tiny.Request(epochs: 2); // its runs folder, tiny.Root/runs, is not inside the node's checkpoint root

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcome = await RunFollower.PublishAndFollowAsync(host.Bus, request, host.Services.GetRequiredService<ITrainingProgressSink>(), limit.Token);

        var failed = Assert.IsType<FineTuneFailed>(outcome);
        Assert.StartsWith("refused by test-node: ", failed.Reason);
        Assert.Contains("must lie inside the checkpoint root", failed.Reason);
        Assert.False(Directory.Exists(RunStore.RunDirectory(request.RunsDirectory, request.RunId)));
    }

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

    [Fact]
    public async Task A_scorer_crashing_on_every_epoch_does_not_stop_training()
    {
        var tiny = TinyRun.Create(records: 16);
        var crashing = Path.Combine(tiny.Root, "crash-scorer.jsonl");
        File.Copy(tiny.DataPath, crashing);
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "RecordingPlugins", "RecordingPlugins");
        await using var host = await TestHost.StartAsync(plugins, InMemory);
        var request = tiny.Request(epochs: 2) with { Dataset = crashing };

        await host.Bus.Publish(request);
        var done = await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(3));

        Assert.Equal(2, done.EpochsRun);
        var scored = host.Observed<EpochScored>().Where(s => s.RunId == request.RunId).ToList();
        Assert.Equal(2, scored.Count);
        Assert.All(scored, s => Assert.DoesNotContain("crashing-scorer", s.Scorers));
        Assert.All(scored, s => Assert.Contains("recording-scorer", s.Scorers)); // the other scorers still scored
    }

    [Fact]
    public async Task The_memorisation_plugin_scores_every_epoch_and_the_early_stopping_policy_stops_the_run()
    {
        var tiny = TinyRun.Create(records: 40);
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "Memorisation", "Memorisation");
        TestPlugins.Install(plugins, "EarlyStopping", "EarlyStopping");
        var settings = InMemory;
        settings["Plugins:Settings:memorisation:PrefixTokens"] = "4";
        settings["Plugins:Settings:memorisation:SuffixTokens"] = "4";
        // A negative threshold fires as soon as an epoch has both n-gram scores: the wiring, not the rule, is under test here.
        settings["Plugins:Settings:ngram-early-stopping:Threshold"] = "-2";
        settings["FineTune:ScoringSampleSize"] = "8";
        await using var host = await TestHost.StartAsync(plugins, settings);
        var request = tiny.Request(epochs: 4);

        await host.Bus.Publish(request);
        var done = await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(3));

        Assert.Equal(1, done.StoppedAtEpoch);
        Assert.StartsWith("ngram-early-stopping: threshold:", done.StopReason);
        using var report = JsonDocument.Parse(File.ReadAllText(done.ReportPath));
        var epoch = report.RootElement.GetProperty("epochs")[0];
        foreach (var metric in new[] { "verbatim_rate", "verbatim_rate_heldout", "token_match", "ngram_score", "ngram_score_heldout" })
            Assert.InRange(epoch.GetProperty(metric).GetDouble(), 0, 1);
        var announced = host.Observed<EpochCompleted>().Single(e => e.RunId == request.RunId);
        var sampled = File.ReadAllLines(announced.TrainSample!).Length + File.ReadAllLines(announced.HeldOutSample!).Length;
        Assert.Equal(File.ReadAllLines(announced.TrainSample!).Length, File.ReadAllLines(announced.HeldOutSample!).Length); // equal sides
        Assert.Equal(sampled, epoch.GetProperty("memorisation_scored").GetDouble() + epoch.GetProperty("memorisation_skipped").GetDouble());
        Assert.Equal((int)epoch.GetProperty("memorisation_scored").GetDouble(),
            File.ReadAllLines(Path.Combine(announced.Checkpoint.Path, "memorisation.jsonl")).Length);
        Assert.StartsWith("ngram-early-stopping", report.RootElement.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task The_ngram_regulariser_adds_its_penalty_and_goldfish_drops_about_a_quarter_of_the_tokens()
    {
        var tiny = TinyRun.Create(records: 24);
        var settings = InMemory;
        settings["FineTune:RegulariserTau"] = "0"; // any gain over the frozen base counts, so the penalty shows in one short run
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), settings);
        var plain = tiny.Request(epochs: 1);
        var ngram = tiny.Request(epochs: 1) with { Regulariser = "ngram", Lambda = 1 };
        var goldfish = tiny.Request(epochs: 1) with { Regulariser = "goldfish" };

        foreach (var request in new[] { plain, ngram, goldfish })
        {
            await host.Bus.Publish(request);
            await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(2));
        }
        EpochRecord First(StartFineTune r) => RunStore.TryLoad(RunStore.RunDirectory(r.RunsDirectory, r.RunId))!.Epochs.Single();

        Assert.Equal(0, First(plain).RegularisationLoss);
        Assert.True(First(ngram).RegularisationLoss > 0, "the n-gram penalty should be positive once the model moves from the base");
        Assert.Equal(1, First(ngram).Lambda);
        var kept = First(goldfish).Tokens / (double)First(plain).Tokens;
        Assert.InRange(kept, 0.6, 0.9); // k = 4 drops about a quarter of the targets from the loss
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
