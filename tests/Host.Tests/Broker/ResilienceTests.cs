using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Plugins;

namespace Pipeline.Host.Tests.Broker;

public sealed class ResilienceTests : BrokerTest
{
    [Fact]
    public async Task After_a_broker_restart_the_host_reconnects_and_handles_what_is_published_next()
    {
        Assert.True(Support.Broker.MayRestart,
            "This test restarts the broker and needs PIPELINE_TEST_BROKER_CONTROL=1 with a local broker: run it with ./test.sh.");
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var runId = Guid.NewGuid();
        await host.Bus.Publish(Messages.Epoch(runId, 1));
        await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 1);

        Support.Broker.Restart();

        // Publishing may fail while the connections are being re-established, and this test's own observer queue (a
        // temporary one, deleted by the restart) comes back at its own pace: keep publishing new epochs, as a trainer
        // would, until one published after the restart comes back scored.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        EpochScored? scored = null;
        for (var epoch = 2; scored is null; epoch++)
        {
            Assert.True(DateTime.UtcNow < deadline, "nothing published after the broker restart was handled within 2 minutes");
            try
            {
                using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await host.Bus.Publish(Messages.Epoch(runId, epoch), attempt.Token);
            }
            catch (Exception)
            {
                await Task.Delay(500);
                continue;
            }
            try
            {
                scored = await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch >= 2, TimeSpan.FromSeconds(3));
            }
            catch (TimeoutException)
            {
                // not yet: publish the next epoch
            }
        }
        Assert.Equal(scored.Epoch, scored.Metrics["recorded_epoch"]);
    }

    [Fact]
    public async Task A_plugin_replaced_while_the_host_runs_is_used_for_the_next_message_and_none_fail_meanwhile()
    {
        TestPlugins.Install(PluginDirectory, "v1", "VersionedScorer");
        await using var host = await StartHostAsync();
        var catalog = host.Services.GetRequiredService<PluginCatalog>();
        var runId = Guid.NewGuid();
        await host.Bus.Publish(Messages.Epoch(runId, 1));
        Assert.Equal(1, (await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 1)).Metrics["plugin_version"]);

        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        catalog.Reloaded += _ =>
        {
            if (catalog.All.Any(p => p.Name == "versioned-scorer" && p.Version.StartsWith("2.")))
                swapped.TrySetResult();
        };
        // Messages keep arriving while the files are replaced: every one must be scored, by one version or the other.
        var during = Enumerable.Range(2, 30).ToList();
        var publishing = Task.Run(async () =>
        {
            foreach (var epoch in during)
            {
                await host.Bus.Publish(Messages.Epoch(runId, epoch));
                await Task.Delay(20);
            }
        });
        TestPlugins.Install(PluginDirectory, "v2", "VersionedScorer");
        await publishing;
        await swapped.Task.WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var epoch in during)
            Assert.Contains((await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == epoch)).Metrics["plugin_version"], new[] { 1.0, 2.0 });
        await host.Bus.Publish(Messages.Epoch(runId, 100));
        Assert.Equal(2, (await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 100)).Metrics["plugin_version"]);
        Assert.Equal(0u, await ErrorQueue.CountAsync(VirtualHost, "epoch-completed_error"));
    }
}
