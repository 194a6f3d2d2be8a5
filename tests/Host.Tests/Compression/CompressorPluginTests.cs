using System.Text.Json;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;
using Pipeline.Node.FineTuning;

namespace Pipeline.Host.Tests.Compression;

/// <summary>The bundled compressor plugin on checkpoint-saved: the best checkpoint of a finished run, compressed and reported.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class CompressorPluginTests
{
    [Fact]
    public async Task The_best_checkpoint_is_compressed_once_training_stops_and_the_run_report_lists_it()
    {
        var tiny = TinyRun.Create(records: 48);
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "Compression", "Compression");
        await using var host = await TestHost.StartAsync(plugins, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["FineTune:Threads"] = "1",
            ["Plugins:Settings:compressor:Method"] = "int8",
        });
        var request = tiny.Request(epochs: 2);

        await host.Bus.Publish(request);
        var done = await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));
        var compressed = await host.WaitForAsync<CheckpointCompressed>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(2));

        Assert.Equal(done.BestCheckpoint.Path, compressed.Source.Path); // the best one, not every epoch's
        Assert.DoesNotContain(host.Observed<CheckpointCompressed>(), c => c.RunId == request.RunId && c.Source.Path != done.BestCheckpoint.Path);
        Assert.Equal("int8", compressed.Method);
        Assert.True(compressed.Ratio > 2, $"ratio {compressed.Ratio}");
        Assert.InRange(compressed.Metrics["ppl_change"], -0.05, 0.05);
        using (CheckpointStore.Load(compressed.Compressed.Path, DeviceSelector.Resolve("cpu"))) { }

        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        var listed = await Eventually.TrueAsync(() => RunStore.TryLoad(runDirectory)!.Compressed.Count == 1, TimeSpan.FromMinutes(1));
        Assert.True(listed, "the run record never listed the compressed checkpoint");
        // The consumer saves the run record, then rewrites the report: wait for the second write too.
        var reported = await Eventually.TrueAsync(() => File.ReadAllText(Path.Combine(runDirectory, "report.json")).Contains(compressed.Compressed.Path.Replace("\\", "\\\\")), TimeSpan.FromMinutes(1));
        Assert.True(reported, "the run report never listed the compressed checkpoint");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "report.json")));
        var entry = Assert.Single(report.RootElement.GetProperty("compressed").EnumerateArray());
        Assert.Equal("int8", entry.GetProperty("method").GetString());
        Assert.Equal(compressed.Compressed.Path, entry.GetProperty("path").GetString());
    }
}
