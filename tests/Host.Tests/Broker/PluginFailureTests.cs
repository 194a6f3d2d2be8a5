using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Broker;

public sealed class PluginFailureTests : BrokerTest
{
    // The test plugins misbehave on these epochs (tests/Plugins/RecordingPlugins/TestEpochs.cs).
    private const int ThrowEpoch = 13;
    private const int HangEpoch = 99;

    [Fact]
    public async Task A_throwing_plugin_faults_only_its_message_and_names_the_plugin()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync();
        var runId = Guid.NewGuid();

        await host.Bus.Publish(Messages.Epoch(runId, 12));
        await host.Bus.Publish(Messages.Epoch(runId, ThrowEpoch));
        await host.Bus.Publish(Messages.Epoch(runId, 14));

        var faulted = await ErrorQueue.TakeAsync(VirtualHost, "epoch-completed_error");
        Assert.Contains("plugin 'flaky-scorer' failed", faulted.Headers["MT-Fault-Message"]);
        Assert.Contains("deliberate failure", faulted.Headers["MT-Fault-Message"]);
        Assert.Contains($"\"epoch\": {ThrowEpoch}", faulted.Body);

        // The other epochs were scored by every scorer; the failing epoch still got the other scorers' metrics.
        var before = await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 12);
        var after = await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 14);
        Assert.Equal(1, before.Metrics["flaky_ok"]);
        Assert.Equal(1, after.Metrics["flaky_ok"]);
        var failed = await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == ThrowEpoch);
        Assert.False(failed.Metrics.ContainsKey("flaky_ok"));
        Assert.Equal(ThrowEpoch, failed.Metrics["recorded_epoch"]);
        Assert.Equal(0u, await ErrorQueue.CountAsync(VirtualHost, "epoch-completed_error")); // the one taken above was the only fault
    }

    [Fact]
    public async Task A_plugin_past_its_timeout_faults_its_message_with_its_name()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        await using var host = await StartHostAsync(new() { ["Plugins:Timeouts:slow-scorer"] = "1" });
        var runId = Guid.NewGuid();

        await host.Bus.Publish(Messages.Epoch(runId, HangEpoch));
        var faulted = await ErrorQueue.TakeAsync(VirtualHost, "epoch-completed_error");

        Assert.Contains("plugin 'slow-scorer' timed out after 1 s", faulted.Headers["MT-Fault-Message"]);
        await host.Bus.Publish(Messages.Epoch(runId, 2));
        var next = await host.WaitForAsync<EpochScored>(s => s.RunId == runId && s.Epoch == 2);
        Assert.Equal(1, next.Metrics["slow_ok"]);
    }
}
