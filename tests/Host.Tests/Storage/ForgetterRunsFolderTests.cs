using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Storage;

/// <summary>The run-forgetter's configured runs folder is a checkpoint root: the node accepts the unlearned checkpoints it announces there.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ForgetterRunsFolderTests
{
    [Fact]
    public async Task A_checkpoint_in_the_forgetters_runs_folder_is_taken_and_one_beside_it_is_refused()
    {
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "RecordingPlugins", "RecordingPlugins");
        var sandbox = Path.GetDirectoryName(plugins)!;
        await using var host = await TestHost.StartAsync(plugins, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["Storage:CheckpointRoot"] = Path.Combine(sandbox, "runs"),
            ["Plugins:Settings:run-forgetter:RunsDirectory"] = Path.Combine(sandbox, "forgetter-runs"),
        });
        CheckpointSaved Saved(string folder) =>
            new(Guid.NewGuid(), 1, new CheckpointReference(Path.Combine(sandbox, folder, "run", "unlearned", "v1"), new string('d', 64)), "best", DateTimeOffset.UtcNow);
        var inForgetterFolder = Saved("forgetter-runs");
        var beside = Saved("elsewhere");

        await host.Bus.Publish(beside);
        await host.Bus.Publish(inForgetterFolder);

        await host.WaitForAsync<CheckpointCompressed>(c => c.RunId == inForgetterFolder.RunId); // the recording compressor took it
        await host.Bus.Publish(Saved("runs") with { RunId = Guid.NewGuid() });
        await host.WaitForAsync<CheckpointCompressed>(c => c.Source.Path.Contains(Path.Combine(sandbox, "runs")));
        Assert.DoesNotContain(host.Observed<CheckpointCompressed>(), c => c.RunId == beside.RunId);
    }
}
