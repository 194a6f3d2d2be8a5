using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Host.Tests.Broker;

public sealed class ServeProcessTests : BrokerTest
{
    [Fact]
    public async Task Two_serve_processes_on_one_broker_share_the_work_and_handle_each_message_once()
    {
        TestPlugins.Install(PluginDirectory, "RecordingPlugins", "RecordingPlugins");
        var ledgerPath = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "shared-ledger.db");
        using var nodeA = new ServeProcess(NodeSettings("node-a", ledgerPath));
        using var nodeB = new ServeProcess(NodeSettings("node-b", ledgerPath));
        await QueueConsumers.WaitForAsync(VirtualHost, "unlearn-requested", 2, () => nodeA.Output + nodeB.Output);

        await using var client = await TestHost.StartAsync(PluginDirectory,
            new Dictionary<string, string?>(Settings) { ["Ledger:Path"] = ledgerPath }, HostRole.Client);
        var requests = Enumerable.Range(0, 24).Select(i => Messages.Unlearn($"subject-{i}")).ToList();
        foreach (var request in requests)
            await client.Bus.Publish(request);
        foreach (var request in requests)
            await client.WaitForAsync<UnlearningCompleted>(c => c.RequestId == request.RequestId, TimeSpan.FromSeconds(120));

        var outcomes = client.Observed<UnlearningCompleted>();
        Assert.Equal(requests.Count, outcomes.Count);
        Assert.Equal(requests.Count, outcomes.Select(o => o.RequestId).Distinct().Count());
        Assert.Equal(["node-a", "node-b"], outcomes.Select(o => o.HandledBy).Distinct().Order());

        var ledger = client.Services.GetRequiredService<IErasureLedger>();
        foreach (var request in requests)
        {
            var record = ledger.Find(request.RequestId)!;
            Assert.Single(record.Transitions, t => t.State == ErasureState.Received);
            Assert.Single(record.Transitions, t => t.State == ErasureState.Completed);
        }
    }

    [Fact]
    public async Task Serve_stops_gracefully_on_sigterm_with_exit_code_zero()
    {
        using var serve = new ServeProcess(NodeSettings("node-term", Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db")));
        await QueueConsumers.WaitForAsync(VirtualHost, "epoch-completed", 1, () => serve.Output);

        serve.Terminate();

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Serve_logs_the_torch_device_it_uses_and_why_and_a_cuda_device_on_the_cpu_build_stops_it_with_the_reason()
    {
        var ledger = Path.Combine(Path.GetDirectoryName(PluginDirectory)!, "ledger.db");
        using (var serve = new ServeProcess(NodeSettings("node-device", ledger)))
        {
            // Started in full before it is stopped: a SIGTERM in the middle of start-up is another matter (README, known limits).
            await QueueConsumers.WaitForAsync(VirtualHost, "epoch-completed", 1, () => serve.Output);
            Assert.Contains("Torch device cpu (Torch:Device=auto; auto: CUDA is not available", serve.Output);
            serve.Terminate();
            var code = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0, serve.Output);
        }

        // The project builds the CPU libtorch (LibTorchPackage): asking for CUDA must fail loudly, not fall back.
        using var cuda = new ServeProcess(new Dictionary<string, string?>(NodeSettings("node-cuda", ledger)) { ["Torch:Device"] = "cuda" });
        Assert.NotEqual(0, await cuda.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("device 'cuda' requested but CUDA is not available", cuda.Output);
    }

    private Dictionary<string, string?> NodeSettings(string node, string ledgerPath) => new(Settings)
    {
        ["Node:Name"] = node,
        ["Plugins:Directory"] = PluginDirectory,
        ["Ledger:Path"] = ledgerPath,
    };
}
