using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Node.Erasure;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.FineTuning;

namespace Pipeline.Host.Tests.Unlearning;

/// <summary>The bundled run-forgetter on the in-memory bus: a real tiny run, then a subject erased from it.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class RunForgetterTests
{
    [Fact]
    public async Task A_subject_is_erased_from_the_data_and_the_run_is_retrained_from_the_base_without_them()
    {
        var tiny = TinyRun.Create(records: 48);
        await using var host = await StartAsync(tiny, withCompressor: true);
        var request = tiny.Request(epochs: 3);
        await host.Bus.Publish(request);
        await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));
        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var subjectIds = JsonlDataset.Read(tiny.DataPath).Where(r => r.SubjectId == "person-3").Select(r => r.Id).ToList();
        var trainedIds = RunSplit.TryLoad(runDirectory)!.Train.Where(subjectIds.Contains).ToList();
        Assert.NotEmpty(trainedIds);

        var erasure = TestPublisher.Sign(new UnlearnRequested(Guid.NewGuid(), "person-3", null, null, "GDPR Art. 17", DateTimeOffset.UtcNow));
        await host.Bus.Publish(erasure);
        var done = await CompletedAsync(host, erasure.RequestId);

        // The data: gone from the file, tombstoned without the ids in clear, gone from the run's copies.
        Assert.DoesNotContain("customer 3 reports", File.ReadAllText(tiny.DataPath));
        Assert.All(subjectIds, id => Assert.DoesNotContain($"\"{id}\"", File.ReadAllText(Tombstones.PathFor(tiny.DataPath))));
        Assert.True(Tombstones.For(tiny.DataPath).Contains(subjectIds[0]));
        foreach (var sample in new[] { "sample-train.jsonl", "sample-heldout.jsonl" })
            Assert.DoesNotContain("customer 3 reports", File.ReadAllText(Path.Combine(runDirectory, sample)));
        Assert.DoesNotContain(RunSplit.TryLoad(runDirectory)!.Train, subjectIds.Contains);
        Assert.False(Directory.Exists(Path.Combine(runDirectory, "checkpoints")), "the superseded checkpoints memorised the subject");

        // The evidence, also in the ledger.
        Assert.Equal(subjectIds.Count, done.Evidence["records_found"]);
        Assert.Equal(trainedIds.Count, done.Evidence["records_forgotten"]);
        Assert.Equal(1, done.Evidence["runs_retrained"]);
        Assert.InRange(done.Evidence["mia_auc"], 0, 1);
        Assert.InRange(done.Evidence["mia_auc_before"], 0, 1);
        Assert.Contains("forgotten", done.Summary);
        var record = host.Services.GetRequiredService<IErasureLedger>().Find(erasure.RequestId)!;
        Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
            record.Transitions.Select(t => t.State));
        Assert.Equal(done.Summary, record.Transitions[^1].Detail);
        Assert.Equal(done.Evidence["mia_auc"], record.Evidence["mia_auc"]);

        // The compressor took the new version too; the report lists its copy and no longer the erased checkpoints' one.
        var copy = await host.WaitForAsync<CheckpointCompressed>(c => c.Source.Path.Contains("unlearned"), TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => RunStore.TryLoad(runDirectory)!.Compressed.Any(c => c.Path == copy.Compressed.Path), TimeSpan.FromMinutes(1));
        Assert.Equal([copy.Compressed.Path], RunStore.TryLoad(runDirectory)!.Compressed.Select(c => c.Path));

        // The new model version was announced, and it is the run retrained on the retained records from the base:
        // the same weights as a fresh run on a data set that never held the subject, after as many epochs.
        var unlearned = host.Observed<CheckpointSaved>().Single(c => c.RunId == request.RunId && c.Kind == "unlearned");
        Assert.Equal((int)done.Evidence["epochs_retrained"], unlearned.Epoch);
        var fresh = tiny.Request(epochs: 3) with { Dataset = tiny.DataPath };
        await host.Bus.Publish(fresh);
        await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == fresh.RunId, TimeSpan.FromMinutes(5));
        var freshCheckpoint = host.Observed<CheckpointSaved>().Single(c => c.RunId == fresh.RunId && c.Kind == "epoch" && c.Epoch == unlearned.Epoch);
        using var retrained = CheckpointStore.Load(unlearned.Checkpoint.Path, DeviceSelector.Resolve("cpu"));
        using var reference = CheckpointStore.Load(freshCheckpoint.Checkpoint.Path, DeviceSelector.Resolve("cpu"));
        var referenceParameters = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in retrained.named_parameters())
            Assert.True(parameter.equal(referenceParameters[name]).all().item<bool>(), $"{name} differs from the fresh run's");
    }

    [Fact]
    public async Task An_unknown_subject_completes_as_no_records_held_and_is_audited()
    {
        var tiny = TinyRun.Create(records: 12);
        await using var host = await StartAsync(tiny);
        var request = tiny.Request(epochs: 1);
        await host.Bus.Publish(request);
        await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));
        var data = File.ReadAllText(tiny.DataPath);

        var erasure = TestPublisher.Sign(new UnlearnRequested(Guid.NewGuid(), "nobody@example.com", null, null, null, DateTimeOffset.UtcNow));
        await host.Bus.Publish(erasure);
        var done = await CompletedAsync(host, erasure.RequestId);

        Assert.Equal("no records held", done.Summary);
        Assert.Equal(0, done.Evidence["records_found"]);
        Assert.Equal(data, File.ReadAllText(tiny.DataPath));
        var record = host.Services.GetRequiredService<IErasureLedger>().Find(erasure.RequestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal("no records held", record.Transitions[^1].Detail);
        Assert.DoesNotContain(host.Observed<CheckpointSaved>(), c => c.Kind == "unlearned");
    }

    [Fact]
    public async Task Requests_within_the_batching_window_are_forgotten_in_one_retraining_and_audited_each()
    {
        var tiny = TinyRun.Create(records: 48);
        await using var host = await StartAsync(tiny, batchWindowSeconds: 3);
        var request = tiny.Request(epochs: 2);
        await host.Bus.Publish(request);
        await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));

        var erasures = new[] { "person-2", "person-4", "nobody" }
            .Select(subject => TestPublisher.Sign(new UnlearnRequested(Guid.NewGuid(), subject, null, null, null, DateTimeOffset.UtcNow))).ToList();
        foreach (var erasure in erasures)
            await host.Bus.Publish(erasure);
        var outcomes = new List<UnlearningCompleted>();
        foreach (var erasure in erasures)
            outcomes.Add(await CompletedAsync(host, erasure.RequestId));

        Assert.Single(host.Observed<CheckpointSaved>(), c => c.RunId == request.RunId && c.Kind == "unlearned");
        Assert.All(outcomes[..2], o => Assert.EndsWith("in a batch of 3 requests", o.Summary));
        Assert.All(outcomes[..2], o => Assert.Equal(3, o.Evidence["batch_size"]));
        Assert.Equal("no records held", outcomes[2].Summary);
        var text = File.ReadAllText(tiny.DataPath);
        Assert.DoesNotContain("customer 2 reports", text);
        Assert.DoesNotContain("customer 4 reports", text);
        Assert.Contains("customer 5 reports", text);
        var ledger = host.Services.GetRequiredService<IErasureLedger>();
        Assert.All(erasures, e => Assert.Equal(ErasureState.Completed, ledger.Find(e.RequestId)!.State));
        Assert.Equal(3, erasures.Select(e => ledger.Find(e.RequestId)!.SubjectHash).Distinct().Count());
    }

    /// <summary>The erasure's UnlearningCompleted; a rejection fails the test at once, with its reason.</summary>
    private static async Task<UnlearningCompleted> CompletedAsync(TestHost host, Guid requestId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            if (host.Observed<UnlearningRejected>().FirstOrDefault(r => r.RequestId == requestId) is { } rejected)
                Assert.Fail($"erasure rejected: {rejected.Reason}");
            if (host.Observed<UnlearningCompleted>().FirstOrDefault(c => c.RequestId == requestId) is { } completed)
                return completed;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no outcome for erasure {requestId}");
    }

    private static Task<TestHost> StartAsync(TinyRun tiny, double batchWindowSeconds = 0, bool withCompressor = false)
    {
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "Unlearning", "Unlearning");
        if (withCompressor)
            TestPlugins.Install(plugins, "Compression", "Compression");
        return TestHost.StartAsync(plugins, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["FineTune:Threads"] = "1",
            ["FineTune:ValidationFraction"] = "0.25", // a dozen held-out records to compare the forgotten ones with
            ["Plugins:Settings:run-forgetter:RunsDirectory"] = tiny.RunsDirectory,
            ["Plugins:Settings:run-forgetter:Threads"] = "1",
            ["Plugins:Settings:run-forgetter:PrefixTokens"] = "8",
            ["Plugins:Settings:run-forgetter:SuffixTokens"] = "8",
            ["Ledger:BatchWindowSeconds"] = batchWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
