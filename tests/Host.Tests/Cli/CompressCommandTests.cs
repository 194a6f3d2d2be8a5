using System.Text.Json;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Models;

namespace Pipeline.Host.Tests.Cli;

/// <summary>`pipeline compress` on a real run's checkpoint; the result loads in score and as a base model.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class CompressCommandTests
{
    [Fact]
    public async Task A_run_checkpoint_compresses_to_int8_sparse_and_fewer_heads_and_each_loads_in_score()
    {
        var tiny = TinyRun.Create(records: 48);
        var checkpoint = await TrainAsync(tiny);
        var work = Path.GetDirectoryName(tiny.DataPath)!;

        var int8 = await PipelineProcess.RunAsync(work, new Dictionary<string, string?>(), "compress", "--checkpoint", checkpoint, "--method", "int8", "--json");
        var pruned = await PipelineProcess.RunAsync(work, new Dictionary<string, string?>(), "compress", "--checkpoint", checkpoint, "--method", "taylor",
            "--sparsity", "0.7", "--finetune-epochs", "1", "--iterations", "2", "--json");
        var heads = await PipelineProcess.RunAsync(work, new Dictionary<string, string?>(), "compress", "--checkpoint", checkpoint, "--method", "heads",
            "--sparsity", "0.5", "--criterion", "obd", "--json");

        foreach (var run in new[] { int8, pruned, heads })
        {
            Assert.True(run.ExitCode == 0, run.StandardError);
            using var result = JsonDocument.Parse(run.StandardOutput);
            var root = result.RootElement;
            Assert.True(root.GetProperty("bytes").GetInt64() < root.GetProperty("source_bytes").GetInt64());
            Assert.True(root.GetProperty("val_ppl").GetDouble() > 1);
            var output = root.GetProperty("out").GetString()!;
            using var model = CheckpointStore.Load(output, DeviceSelector.Resolve("cpu")); // loads as a plain model
            var score = await PipelineProcess.RunAsync(work, new Dictionary<string, string?>(), "score", "--checkpoint", output, "--data", tiny.DataPath,
                "--prefix", "4", "--suffix", "4", "--json");
            Assert.True(score.ExitCode == 0, score.StandardError);
        }
        using var prunedResult = JsonDocument.Parse(pruned.StandardOutput);
        Assert.Equal(0.7, prunedResult.RootElement.GetProperty("sparsity").GetDouble());
        // Two rounds (0.35, then 0.7), each fine-tuned with its mask held: exactly 70% of the layers' weights are zero at the end.
        using var sparse = CheckpointStore.Load(prunedResult.RootElement.GetProperty("out").GetString()!, DeviceSelector.Resolve("cpu"));
        Assert.Equal(0.7, Pipeline.Modelling.Compression.PruningMask.SparsityOf(sparse), 3);
    }

    [Theory]
    [InlineData("--method", "filters", "unknown compression method \"filters\"")]
    [InlineData("--sparsity", "1.5", "--sparsity must be in (0, 1)")]
    public async Task Bad_usage_exits_2_with_a_one_line_reason(string option, string value, string reason)
    {
        var tiny = TinyRun.Create(records: 12);
        string[] arguments = option == "--method"
            ? ["compress", "--checkpoint", tiny.BaseModel, "--method", value]
            : ["compress", "--checkpoint", tiny.BaseModel, "--method", "magnitude", option, value];

        var run = await PipelineProcess.RunAsync(Path.GetDirectoryName(tiny.DataPath)!, new Dictionary<string, string?>(), arguments);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.StandardError);
        Assert.Empty(run.StandardOutput);
    }

    [Fact]
    public async Task A_checkpoint_outside_a_run_needs_data()
    {
        var tiny = TinyRun.Create(records: 12);
        var run = await PipelineProcess.RunAsync(Path.GetDirectoryName(tiny.DataPath)!, new Dictionary<string, string?>(),
            "compress", "--checkpoint", tiny.BaseModel, "--method", "int8");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give --data", run.StandardError);
    }

    [Fact]
    public async Task A_checkpoint_without_weights_is_bad_input_named_in_one_line()
    {
        var tiny = TinyRun.Create(records: 12);
        File.Delete(Path.Combine(tiny.BaseModel, CheckpointStore.WeightsFileName));

        var run = await PipelineProcess.RunAsync(Path.GetDirectoryName(tiny.DataPath)!, new Dictionary<string, string?>(),
            "compress", "--checkpoint", tiny.BaseModel, "--method", "int8", "--data", tiny.DataPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{CheckpointStore.WeightsFileName}: missing", run.StandardError);
        Assert.Single(run.StandardError.Trim().Split('\n'));
    }

    private static async Task<string> TrainAsync(TinyRun tiny)
    {
        var plugins = TestPlugins.NewDirectory();
        await using var host = await TestHost.StartAsync(plugins, new Dictionary<string, string?> { ["Bus:Transport"] = "InMemory", ["FineTune:Threads"] = "1" });
        var request = tiny.Request(epochs: 2);
        await host.Bus.Publish(request);
        var done = await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));
        return done.BestCheckpoint.Path;
    }
}
