using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Vision;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Tests.Compression;

/// <summary>The bundled filter-pruner plugin on checkpoint-saved: a ResNet checkpoint comes out smaller; the language-model compressor leaves it alone.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class FilterPrunerPluginTests
{
    [Fact]
    public async Task A_saved_resnet_checkpoint_is_filter_pruned_and_reported_with_its_compression_and_accuracies()
    {
        TorchRuntime.EnsureLoaded();
        var folder = Path.Combine(Path.GetDirectoryName(TestPlugins.NewDirectory())!, "resnet20");
        TorchSharp.torch.manual_seed(5);
        using (var model = new ResNet(ResNetShape.Cifar()))
            ResNetCheckpoint.Save(model, new ImageNormalisation(0.29f, 0.35f), folder, "fashion-mnist");
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "FilterPruning", "FilterPruning");
        TestPlugins.Install(plugins, "Compression", "Compression");
        await using var host = await TestHost.StartAsync(plugins, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["Plugins:Settings:filter-pruner:Method"] = "l1-filters",
            ["Plugins:Settings:filter-pruner:UniformKeep"] = "0.5",
            ["Plugins:Settings:filter-pruner:FineTuneSteps"] = "1",
            ["Plugins:Settings:filter-pruner:TrainImages"] = "256",
            ["Plugins:Settings:filter-pruner:TestImages"] = "100",
        });
        var runId = Guid.NewGuid();

        await host.Bus.Publish(new CheckpointSaved(runId, 3, new CheckpointReference(folder, new string('0', 64)), "best", DateTimeOffset.UtcNow));
        var compressed = await host.WaitForAsync<CheckpointCompressed>(c => c.RunId == runId, TimeSpan.FromMinutes(3));

        Assert.Equal("filter-pruner", compressed.Compressor);
        Assert.Equal("l1-filters", compressed.Method);
        Assert.InRange(compressed.Metrics["param_compression"], 3.5, 4.5);
        Assert.InRange(compressed.Metrics["accuracy_after"], 0, 1);
        Assert.Equal($"{folder}-l1-filters", compressed.Compressed.Path);
        Assert.True(ResNetCheckpoint.IsResNet(compressed.Compressed.Path));
        Assert.All(host.Observed<CheckpointCompressed>().Where(c => c.RunId == runId), c => Assert.Equal("filter-pruner", c.Compressor));
    }
}
