using System.Text.Json;
using Pipeline.Host.Tests.Support;

namespace Pipeline.Host.Tests.Cli;

/// <summary>
/// `pipeline experiment clustering` as users run it, on both image sets (pulled through the package clients when not
/// cached) with budgets small enough for CI: the issue's JSON shape, scores that are scores, and bad options refused.
/// </summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class ClusteringExperimentCliTests
{
    private static readonly string[] Methods = ["alternating", "ae_kmeans", "dcn", "dkm"];
    private readonly string _workingDirectory = Path.GetDirectoryName(TestPlugins.NewDirectory())!;

    [Fact]
    public async Task The_experiment_reports_every_method_on_both_data_sets_with_scores_over_the_seeds()
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(),
            "experiment", "clustering", "--images", "400", "--pretrain-epochs", "20", "--epochs", "2", "--epochs-per-round", "1",
            "--hidden", "128,64", "--seeds", "1", "2", "--json");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var report = JsonDocument.Parse(run.StandardOutput);
        foreach (var dataset in new[] { "mnist", "fashion-mnist" })
        {
            var methods = report.RootElement.GetProperty("datasets").GetProperty(dataset);
            foreach (var name in Methods)
            {
                var method = methods.GetProperty(name);
                foreach (var key in new[] { "acc", "nmi", "ari", "seconds", "acc_sd", "nmi_sd" })
                    Assert.True(method.TryGetProperty(key, out _), $"{dataset} {name} has no {key}");
                // Ten balanced-ish classes: any clustering matches at least a tenth of the images to their class.
                Assert.InRange(method.GetProperty("acc").GetDouble(), 0.1, 1);
                Assert.InRange(method.GetProperty("nmi").GetDouble(), 0, 1);
                Assert.InRange(method.GetProperty("ari").GetDouble(), -1, 1);
                Assert.Equal(2, method.GetProperty("runs").GetArrayLength());
            }
            Assert.All(methods.GetProperty("ae_kmeans").GetProperty("epochs").EnumerateArray(), e => Assert.Equal(0, e.GetInt32()));
            Assert.All(methods.GetProperty("dcn").GetProperty("epochs").EnumerateArray(), e => Assert.Equal(2, e.GetInt32()));
            Assert.All(methods.GetProperty("alternating").GetProperty("epochs").EnumerateArray(), e => Assert.InRange(e.GetInt32(), 1, 2));
            // The codes carry the classes: K-means on a pretrained autoencoder's codes beats chance (about 0.13 here) clearly.
            Assert.True(methods.GetProperty("ae_kmeans").GetProperty("acc").GetDouble() > 0.3, $"{dataset}: {methods.GetProperty("ae_kmeans")}");
            Assert.True(report.RootElement.GetProperty("targets").GetProperty(dataset).TryGetProperty("acc_at_least_dcn", out _));
        }
        Assert.Equal(0.83, report.RootElement.GetProperty("published").GetProperty("mnist").GetProperty("dcn").GetProperty("acc").GetDouble());
    }

    [Theory]
    [InlineData("--methods", "kmeans", "unknown method \"kmeans\"")]
    [InlineData("--datasets", "cifar-10", "unknown data set \"cifar-10\"")]
    [InlineData("--hidden", "500,0", "widths must be positive integers")]
    public async Task A_wrong_option_exits_2_with_the_reason(string option, string value, string reason)
    {
        var run = await PipelineProcess.RunAsync(_workingDirectory, new Dictionary<string, string?>(), "experiment", "clustering", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.StandardError);
    }
}
