using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Data;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Node.Erasure;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Broker;

/// <summary>A `serve` node killed with SIGKILL at each ledger state finishes the erasure once when it comes back.</summary>
public sealed class ErasureCrashTests : BrokerTest
{
    [Theory]
    [InlineData(ErasureState.Received)]
    [InlineData(ErasureState.DataRemoved)]
    [InlineData(ErasureState.ModelUnlearned)]
    [InlineData(ErasureState.Verified)]
    public async Task A_node_killed_at_a_ledger_state_completes_the_erasure_once_after_restart(ErasureState state)
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var folder = Path.GetDirectoryName(PluginDirectory)!;
        var pause = Path.Combine(folder, $"pause-{state}");
        File.WriteAllText(pause, "");
        var request = Messages.Unlearn($"pause-after:{state}:{pause}");
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = "node-1",
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(folder, "ledger.db"),
        };
        var ledger = new SqliteErasureLedger(settings["Ledger:Path"]!);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);

        using (var first = new ServeProcess(settings))
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 1, () => first.Output);
            await observer.Bus.Publish(request);
            await WaitUntilAsync(() => ledger.Find(request.RequestId)?.State == state, () => first.Output);
            first.Kill();
        }
        Assert.Equal(state, ledger.Find(request.RequestId)!.State); // nothing moved on after the kill

        File.Delete(pause);
        using var second = new ServeProcess(settings);
        await observer.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId, TimeSpan.FromMinutes(2));

        var record = ledger.Find(request.RequestId)!;
        Assert.Equal(ErasureState.Completed, record.State);
        Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
            record.Transitions.Select(t => t.State));
        Assert.Single(observer.Observed<UnlearningCompleted>(), c => c.RequestId == request.RequestId);
        Assert.Empty(ledger.PendingFor("node-1"));
    }

    [Fact]
    public async Task The_run_forgetter_killed_after_erasing_the_data_finishes_from_its_plan_after_restart()
    {
        TestPlugins.Install(PluginDirectory, "Unlearning", "Unlearning");
        var tiny = TinyRun.Create(records: 240); // big enough that retraining lasts a while after DataRemoved
        var folder = Path.GetDirectoryName(PluginDirectory)!;
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Node:Name"] = "node-1",
            ["Plugins:Directory"] = PluginDirectory,
            ["Ledger:Path"] = Path.Combine(folder, "ledger.db"),
            ["FineTune:Threads"] = "1",
            ["FineTune:ValidationFraction"] = "0.25",
            ["Plugins:Settings:run-forgetter:RunsDirectory"] = tiny.RunsDirectory,
            ["Plugins:Settings:run-forgetter:Threads"] = "1",
            ["Plugins:Settings:run-forgetter:PrefixTokens"] = "8",
            ["Plugins:Settings:run-forgetter:SuffixTokens"] = "8",
        };
        var ledger = new SqliteErasureLedger(settings["Ledger:Path"]!);
        await using var observer = await TestHost.StartAsync(PluginDirectory, Settings, HostRole.Client);
        var run = tiny.Request(epochs: 20);
        var erasure = TestPublisher.Sign(Messages.Unlearn("person-3") with { DatasetId = null, RecordIds = null });
        int held;

        using (var first = new ServeProcess(settings))
        {
            await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 1, () => first.Output);
            await observer.Bus.Publish(run);
            await observer.WaitForAsync<FineTuneCompleted>(c => c.RunId == run.RunId, TimeSpan.FromMinutes(5));
            held = JsonlDataset.Read(tiny.DataPath).Count(r => r.SubjectId == "person-3");
            await observer.Bus.Publish(erasure);
            await WaitUntilAsync(() => ledger.Find(erasure.RequestId)?.State is ErasureState.DataRemoved or ErasureState.ModelUnlearned
                or ErasureState.Verified or ErasureState.Completed, () => first.Output);
            first.Kill();
        }
        Assert.True(ledger.Find(erasure.RequestId)!.State == ErasureState.DataRemoved,
            "retraining finished before the kill: the test run is too small to catch the node mid-erasure");
        Assert.DoesNotContain(JsonlDataset.Read(tiny.DataPath), r => r.SubjectId == "person-3"); // the data went first

        using var second = new ServeProcess(settings);
        var done = await observer.WaitForAsync<UnlearningCompleted>(c => c.RequestId == erasure.RequestId, TimeSpan.FromMinutes(5));

        Assert.Equal(held, done.Evidence["records_found"]); // from the plan: the data no longer holds them
        Assert.Equal(1, done.Evidence["runs_retrained"]);
        Assert.Equal([ErasureState.Received, ErasureState.DataRemoved, ErasureState.ModelUnlearned, ErasureState.Verified, ErasureState.Completed],
            ledger.Find(erasure.RequestId)!.Transitions.Select(t => t.State));
        Assert.Single(observer.Observed<CheckpointSaved>(), c => c.RunId == run.RunId && c.Kind == "unlearned");
        Assert.False(Directory.Exists(Path.Combine(tiny.RunsDirectory, ".erasures")) &&
                     Directory.EnumerateFiles(Path.Combine(tiny.RunsDirectory, ".erasures")).Any(), "the plan, which holds the records, is deleted");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> diagnostics)
    {
        if (!await Eventually.TrueAsync(condition, TimeSpan.FromMinutes(2)))
            throw new TimeoutException($"the ledger never reached the expected state; serve output:\n{diagnostics()}");
    }
}
