using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Host.Tests.Support;
using Pipeline.Modelling.Data;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Node.Plugins;

namespace Pipeline.Host.Tests.Clustering;

/// <summary>The semantic-clusters plugin as the catalog loads it: opt-in, strict about its settings, and clustering a sample once.</summary>
[Collection(BrokerCollection.Name)] // CPU-heavy: not beside the broker tests' timings
public sealed class SemanticClustersSettingsTests
{
    private static PluginCatalog Catalog(string directory, Dictionary<string, string> settings) =>
        new(Options.Create(new PluginOptions
        {
            Directory = directory, HotReload = false,
            Settings = new(StringComparer.OrdinalIgnoreCase) { ["semantic-clusters"] = settings },
        }), NullLogger<PluginCatalog>.Instance);

    private static string Installed()
    {
        var directory = TestPlugins.NewDirectory();
        TestPlugins.Install(directory, "SemanticClusters", "SemanticClusters");
        return directory;
    }

    [Fact]
    public async Task The_bundled_plugin_loads_as_a_labelling_epoch_scorer_and_scores_nothing_until_enabled()
    {
        var tiny = TinyRun.Create(records: 16);
        using var catalog = Catalog(Installed(), []);

        var (plugin, scorer) = Assert.Single(catalog.OfRole<IEpochScorer>());
        Assert.Equal("semantic-clusters", plugin.Name);
        Assert.IsAssignableFrom<IMetricLabeller>(scorer);
        var epoch = Epoch(tiny, Sample(tiny, 8));
        Assert.Empty(await scorer.ScoreAsync(epoch, CancellationToken.None));
        Assert.Empty(((IMetricLabeller)scorer).LabelsFor(epoch));
        Assert.False(File.Exists(epoch.TrainSample + ".clusters.json"));
    }

    [Fact]
    public void An_unknown_setting_stops_the_plugin_loading_and_the_error_lists_the_known_ones()
    {
        using var catalog = Catalog(Installed(), new() { ["Clustres"] = "4" });

        Assert.Empty(catalog.All);
        Assert.Contains("unknown setting 'Clustres'", catalog.Errors["SemanticClusters"]);
        Assert.Contains("Clusters, PretrainEpochs", catalog.Errors["SemanticClusters"]);
    }

    [Fact]
    public async Task More_clusters_than_sample_records_is_a_clear_error()
    {
        var tiny = TinyRun.Create(records: 16);
        using var catalog = Catalog(Installed(), new() { ["Enabled"] = "true", ["Clusters"] = "4" });
        var scorer = catalog.OfRole<IEpochScorer>().Single().Role;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => scorer.ScoreAsync(Epoch(tiny, Sample(tiny, 3)), CancellationToken.None));

        Assert.Contains("Clusters is 4, but the train sample holds only 3 records", failure.Message);
    }

    [Fact]
    public async Task A_new_plugin_instance_reuses_the_cached_clusters_and_other_clustering_settings_recompute_them()
    {
        var tiny = TinyRun.Create(records: 16);
        var directory = Installed();
        var settings = new Dictionary<string, string>
        {
            ["Enabled"] = "true", ["Clusters"] = "2", ["PretrainEpochs"] = "5", ["Rounds"] = "2", ["Hidden"] = "16", ["PrefixTokens"] = "4", ["SuffixTokens"] = "4",
        };
        var epoch = Epoch(tiny, Sample(tiny, 10));
        var cache = epoch.TrainSample + ".clusters.json";

        using (var first = Catalog(directory, settings))
            await first.OfRole<IEpochScorer>().Single().Role.ScoreAsync(epoch, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(cache);
        var clusters = File.ReadAllText(cache);

        using (var restarted = Catalog(directory, settings)) // a host restarted: a fresh instance, the same files
        {
            var metrics = await restarted.OfRole<IEpochScorer>().Single().Role.ScoreAsync(epoch, CancellationToken.None);
            Assert.Equal(10, metrics["cluster_size@cluster_1"] + metrics["cluster_size@cluster_2"]);
        }
        Assert.Equal(written, File.GetLastWriteTimeUtc(cache));
        Assert.Equal(clusters, File.ReadAllText(cache));

        using (var reseeded = Catalog(directory, new Dictionary<string, string>(settings) { ["Seed"] = "2" }))
            await reseeded.OfRole<IEpochScorer>().Single().Role.ScoreAsync(epoch, CancellationToken.None);
        Assert.Contains("seed=2", File.ReadAllText(cache));
    }

    /// <summary>The first <paramref name="records"/> records of the tiny data set as a train sample file.</summary>
    private static string Sample(TinyRun tiny, int records)
    {
        var path = Path.Combine(tiny.Root, $"sample-{records}.jsonl");
        JsonlDataset.Write(path, JsonlDataset.Read(tiny.DataPath).Take(records));
        return path;
    }

    /// <summary>An epoch whose checkpoint is the base model itself (its weights are a valid checkpoint).</summary>
    private static EpochCompleted Epoch(TinyRun tiny, string sample)
    {
        using var weights = File.OpenRead(Path.Combine(tiny.BaseModel, "model.safetensors"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(weights));
        return new EpochCompleted(Guid.NewGuid(), 1, new CheckpointReference(tiny.BaseModel, sha256), 1.0, 1.0, tiny.BaseModel, tiny.DataPath,
            DateTimeOffset.UtcNow) { TrainSample = sample };
    }
}
