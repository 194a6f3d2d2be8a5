using Pipeline.Contracts.Messages;
using Pipeline.Host.Hosting;
using Pipeline.Host.Ledger;
using Pipeline.Host.Tests.Support;

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
        var ledger = new ErasureLedger(settings["Ledger:Path"]!);
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

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the ledger never reached the expected state; serve output:\n{diagnostics()}");
    }
}
