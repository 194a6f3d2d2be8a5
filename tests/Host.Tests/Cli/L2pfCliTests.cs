using System.Text.Json;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Vision;

namespace Pipeline.Host.Tests.Cli;

/// <summary>
/// `pipeline experiment l2pf` and `pipeline compress` on a CNN, as users run them, with budgets small enough for CI:
/// the JSON shape, checkpoints that load and are as small as reported, and wrong method/checkpoint pairs refused.
/// </summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class L2pfCliTests
{
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    [Fact]
    public async Task The_experiment_reports_every_method_and_its_checkpoints_are_the_size_it_says_and_compress_prunes_the_baseline_again()
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(),
            "experiment", "l2pf", "--epochs", "1", "--train-images", "512", "--reward-images", "64", "--test-images", "200",
            "--episodes", "2", "--finetune-steps", "2", "--out", Path.Combine(_workingDirectory, "experiments"), "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var report = JsonDocument.Parse(run.StandardOutput);
        var baseline = report.RootElement.GetProperty("baseline");
        var baselineParameters = baseline.GetProperty("parameters").GetInt64();
        Assert.Equal(ModelCost.Of(ResNetShape.Cifar()).Parameters, baselineParameters); // ResNet20, 1 channel in, 10 classes
        foreach (var name in new[] { "l2pf", "try_and_learn", "l1_filters" })
        {
            var method = report.RootElement.GetProperty("methods").GetProperty(name);
            foreach (var key in new[] { "param_compression", "flop_compression", "accuracy_before", "accuracy_after", "pruning_seconds" })
                Assert.True(method.TryGetProperty(key, out _), $"{name} has no {key}");
            Assert.InRange(method.GetProperty("accuracy_after").GetDouble(), 0, 1);
            Assert.True(method.GetProperty("pruning_seconds").GetDouble() > 0);
            var (model, _, dataset) = ResNetCheckpoint.Load(method.GetProperty("checkpoint").GetString()!);
            using (model)
            {
                Assert.Equal("fashion-mnist", dataset);
                var parameters = model.parameters().Sum(p => p.numel());
                Assert.Equal(method.GetProperty("parameters").GetInt64(), parameters);
                Assert.Equal((double)baselineParameters / parameters, method.GetProperty("param_compression").GetDouble(), 2);
            }
        }
        // Uniform L1 at its default 58% of every group's filters: about 3× fewer parameters, whatever the training did.
        Assert.InRange(report.RootElement.GetProperty("methods").GetProperty("l1_filters").GetProperty("param_compression").GetDouble(), 2.5, 3.5);

        var compressed = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(),
            "compress", "--checkpoint", baseline.GetProperty("checkpoint").GetString()!, "--method", "l1-filters", "--keep", "0.5",
            "--train-images", "256", "--test-images", "100", "--finetune-steps", "1", "--out", Path.Combine(_workingDirectory, "half"), "--json");
        Assert.True(compressed.ExitCode == 0, compressed.StandardError);
        using var result = JsonDocument.Parse(compressed.StandardOutput);
        Assert.InRange(result.RootElement.GetProperty("param_compression").GetDouble(), 3.5, 4.5); // half of every width: about a quarter of the weights
        Assert.True(result.RootElement.GetProperty("bytes").GetInt64() < result.RootElement.GetProperty("source_bytes").GetInt64() / 3);
        Assert.True(ResNetCheckpoint.IsResNet(Path.Combine(_workingDirectory, "half")));
        Assert.True(result.RootElement.GetProperty("images_per_second_after").GetDouble() > 0);
    }

    [Fact]
    public async Task A_language_model_method_on_a_cnn_or_a_filter_method_on_a_language_model_exits_2_with_the_reason()
    {
        var cnn = Path.Combine(_workingDirectory, "cnn");
        Directory.CreateDirectory(cnn);
        File.WriteAllText(Path.Combine(cnn, "config.json"), ResNetShape.Cifar().ToJson());
        var language = Path.Combine(_workingDirectory, "lm");
        Directory.CreateDirectory(language);
        File.WriteAllText(Path.Combine(language, "config.json"), """{ "model_type": "gpt_neox" }""");

        var wrongForCnn = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "compress", "--checkpoint", cnn, "--method", "magnitude");
        var wrongForLanguage = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "compress", "--checkpoint", language, "--method", "l2pf");
        var badExperiment = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "experiment", "l2pf", "--methods", "obd");

        Assert.Equal(2, wrongForCnn.ExitCode);
        Assert.Contains("is a CNN (ResNet) checkpoint: --method must be l2pf, try-and-learn, l1-filters", wrongForCnn.StandardError);
        Assert.Equal(2, wrongForLanguage.ExitCode);
        Assert.Contains("prunes CNN filters", wrongForLanguage.StandardError);
        Assert.Equal(2, badExperiment.ExitCode);
        Assert.Contains("unknown method \"obd\"", badExperiment.StandardError);
    }
}
