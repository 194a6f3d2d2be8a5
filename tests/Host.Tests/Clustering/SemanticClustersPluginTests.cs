using System.Text.Json;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Data;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Node.FineTuning;
using Pipeline.Node.FineTuning.Reports;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Tests.Clustering;

/// <summary>The bundled semantic-clusters scorer on epoch-completed: memorisation per cluster of the train sample, labelled, into the run report.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class SemanticClustersPluginTests
{
    private const int Clusters = 3;

    /// <summary>Support tickets on four topics, so clusters have words to be named by.</summary>
    private static string Ticket(int i) => (i % 4) switch
    {
        0 => $"Ticket {i}: the refund for order {i} never arrived and the order was cancelled.",
        1 => $"Ticket {i}: the printer on floor {i % 5} jams when the paper tray is full.",
        2 => $"Ticket {i}: the password reset link for account {i} expired before login.",
        _ => $"Ticket {i}: the courier left the parcel at the wrong door of house {i}.",
    };

    [Fact]
    public async Task Every_epoch_reports_verbatim_memorisation_per_cluster_labelled_with_its_top_terms_and_the_report_keeps_the_labels()
    {
        var tiny = TinyRun.Create(records: 48, text: Ticket);
        var plugins = TestPlugins.NewDirectory();
        TestPlugins.Install(plugins, "SemanticClusters", "SemanticClusters");
        await using var host = await TestHost.StartAsync(plugins, new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "InMemory",
            ["FineTune:Threads"] = "1",
            ["FineTune:ValidationFraction"] = "0.5", // the scoring samples hold as many records as are held out: 24
            ["Plugins:Settings:semantic-clusters:Enabled"] = "true",
            ["Plugins:Settings:semantic-clusters:Clusters"] = Clusters.ToString(),
            ["Plugins:Settings:semantic-clusters:PretrainEpochs"] = "20",
            ["Plugins:Settings:semantic-clusters:Rounds"] = "5",
            ["Plugins:Settings:semantic-clusters:Hidden"] = "32,64",
            ["Plugins:Settings:semantic-clusters:PrefixTokens"] = "6",
            ["Plugins:Settings:semantic-clusters:SuffixTokens"] = "6",
        });
        var request = tiny.Request(epochs: 2);

        await host.Bus.Publish(request);
        await host.WaitForAsync<FineTuneCompleted>(c => c.RunId == request.RunId, TimeSpan.FromMinutes(5));
        var scored = host.Observed<EpochScored>().Where(s => s.RunId == request.RunId).OrderBy(s => s.Epoch).ToList();
        var completed = host.Observed<EpochCompleted>().First(e => e.RunId == request.RunId);

        Assert.Equal([1, 2], scored.Select(s => s.Epoch));
        var sampleTexts = JsonlDataset.Read(completed.TrainSample!).Select(r => r.FullText).ToList();
        var sampleSize = sampleTexts.Count;
        foreach (var epoch in scored)
        {
            Assert.Contains("semantic-clusters", epoch.Scorers);
            Assert.Equal(sampleSize, Enumerable.Range(1, Clusters).Sum(k => epoch.Metrics[$"cluster_size@cluster_{k}"]));
            Assert.DoesNotContain(epoch.Metrics.Keys, m => m == $"cluster_size@cluster_{Clusters + 1}");
            for (var k = 1; k <= Clusters; k++)
            {
                Assert.InRange(epoch.Metrics[$"verbatim_rate@cluster_{k}"], 0, 1);
                // A label is the cluster's top terms: words of the sample's texts.
                var terms = epoch.Labels![$"verbatim_rate@cluster_{k}"].Split(", ");
                Assert.InRange(terms.Length, 1, 5);
                Assert.All(terms, t => Assert.Contains(sampleTexts, text => text.Contains(t, StringComparison.OrdinalIgnoreCase)));
            }
            Assert.True(epoch.Metrics["cluster_seconds"] > 0);
        }
        // Clustered once per run: the second epoch's clusters are the first's.
        Assert.Equal(Sizes(scored[0]), Sizes(scored[1]));
        Assert.Equal(scored[0].Labels, scored[1].Labels);
        Assert.True(File.Exists(completed.TrainSample + ".clusters.json"));

        var runDirectory = RunStore.RunDirectory(request.RunsDirectory, request.RunId);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDirectory, "report.json")));
        var labels = report.RootElement.GetProperty("metric_labels");
        for (var k = 1; k <= Clusters; k++)
            Assert.Equal(scored[1].Labels![$"verbatim_rate@cluster_{k}"], labels.GetProperty($"verbatim_rate@cluster_{k}").GetString());
        Assert.True(report.RootElement.GetProperty("epochs")[1].TryGetProperty("verbatim_rate@cluster_1", out _));

        // The plot's legend names each cluster by its first terms; run.json keeps the labels.
        var run = RunStore.TryLoad(runDirectory)!;
        var firstTerm = run.MetricLabels["verbatim_rate@cluster_1"].Split(", ")[0];
        Assert.StartsWith($"verbatim_rate@cluster_1 ({firstTerm}", MemorisationPlot.LegendText(run, "verbatim_rate@cluster_1"));
        Assert.Equal("verbatim_rate", MemorisationPlot.LegendText(run, "verbatim_rate"));
    }

    [Fact]
    public void A_run_record_written_before_metric_labels_existed_still_loads_with_none()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var record = new RunRecord { Request = TinyRunRequest() };
        record.MetricLabels["verbatim_rate@cluster_1"] = "refund, order";
        RunStore.Save(folder, record);
        var path = Path.Combine(folder, "run.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json.Remove("metric_labels"));
        File.WriteAllText(path, json.ToJsonString());

        var loaded = RunStore.TryLoad(folder)!;

        Assert.Empty(loaded.MetricLabels);
        Assert.Equal("verbatim_rate@cluster_1", MemorisationPlot.LegendText(loaded, "verbatim_rate@cluster_1"));
        Assert.Empty(RunReport.Build(loaded)["metric_labels"] as IDictionary<string, string> ?? throw new InvalidOperationException("no metric_labels"));
    }

    private static StartFineTune TinyRunRequest() =>
        new(Guid.NewGuid(), "base", "data.jsonl", 1, 3e-3, 11, "none", 0, DateTimeOffset.UtcNow);

    private static List<double> Sizes(EpochScored scored) =>
        Enumerable.Range(1, Clusters).Select(k => scored.Metrics[$"cluster_size@cluster_{k}"]).ToList();
}
