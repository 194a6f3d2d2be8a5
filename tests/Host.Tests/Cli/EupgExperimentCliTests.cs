using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Cli;

/// <summary>`pipeline experiment eupg` as users run it: the JSON shape, and bad settings refused.</summary>
public sealed class EupgExperimentCliTests
{
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    [Fact]
    public async Task Eupg_experiment_prints_before_and_after_figures_for_every_method_as_json()
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(),
            "experiment", "eupg", "--datasets", "breast-cancer", "--repeats", "1", "--epochs", "20", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var report = JsonDocument.Parse(run.StandardOutput);
        var set = report.RootElement.GetProperty("datasets").GetProperty("breast-cancer");
        Assert.InRange(set.GetProperty("mia_noise_floor").GetDouble(), 0, 1);
        Assert.True(set.GetProperty("k_anonymity_smallest_group").GetInt32() >= 10);
        Assert.Equal(22, set.GetProperty("forgotten_rows").GetInt32()); // 5% of the 456 training rows
        foreach (var side in new[] { "before", "after" })
            foreach (var method in new[] { "retrain", "sisa", "eupg_k", "eupg_eps" })
            {
                var figures = set.GetProperty(side).GetProperty(method);
                Assert.InRange(figures.GetProperty("utility").GetDouble(), 0.5, 1);
                Assert.InRange(figures.GetProperty("mia_auc").GetDouble(), 0, 1);
                Assert.Equal(0, figures.GetProperty("mia_auc_sd").GetDouble()); // one repeat
                Assert.True(figures.GetProperty("seconds").GetDouble() > 0);
            }
        Assert.Contains("eupg: breast-cancer repeat 1/1 eupg_k", run.StandardError);
    }

    [Theory]
    [InlineData("--epsilon", "0", "ε must be positive")]
    [InlineData("--k", "1", "k must be at least 2")]
    [InlineData("--datasets", "adult", "unknown tabular data set \"adult\"")]
    public async Task Bad_settings_exit_2_with_a_one_line_reason(string option, string value, string reason)
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "experiment", "eupg", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.StandardError);
        Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.Empty(run.StandardOutput);
    }
}
