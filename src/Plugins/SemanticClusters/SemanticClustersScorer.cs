using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Storage;
using Pipeline.Modelling.Tokenization;

namespace Pipeline.Plugins.SemanticClusters;

/// <summary>
/// Epoch scorer: memorisation per semantic cluster. The run's train sample is clustered once, from the base model's
/// embeddings (<see cref="SampleClustering"/>), and cached beside the sample (&lt;sample&gt;.clusters.json, see
/// <see cref="SampleClusters"/>), so every epoch of a run — also after a host restart — uses the same clusters. Each
/// epoch the checkpoint continues every sample record's prefix greedily (<see cref="MemorisationScorer"/>, as the
/// memorisation plugin does) and the plugin reports, for clusters k = 1..K, <c>verbatim_rate@cluster_k</c> (the share
/// of the cluster's scored records reproduced verbatim; absent when none could be scored), <c>cluster_size@cluster_k</c>
/// (its records) and <c>cluster_seconds</c> (this plugin's time on the epoch). Each verbatim_rate@cluster_k is labelled
/// with the cluster's top terms. Opt-in (Enabled=true): it decodes the sample a second time each epoch. Settings
/// (Plugins:Settings:semantic-clusters): see <see cref="SemanticClusterSettings"/>.
/// </summary>
public sealed class SemanticClustersScorer : IEpochScorer, IConfigurablePlugin<SemanticClusterSettings>, IMetricLabeller
{
    /// <summary>One computation per sample at a time: epochs scored side by side wait for the first one's clusters.</summary>
    private static readonly ConcurrentDictionary<string, object> SampleLocks = new(StringComparer.Ordinal);

    private SemanticClusterSettings _settings = new();

    public string Name => "semantic-clusters";

    public void Configure(SemanticClusterSettings settings)
    {
        settings.Validate();
        _settings = settings;
    }

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(EpochCompleted epoch, CancellationToken cancellationToken)
    {
        if (!_settings.Enabled || epoch.TrainSample is null)
            return Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
        // Clustering and decoding are CPU-bound: off the bus's thread.
        var settings = _settings;
        return Task.Run(() => Score(epoch, settings, cancellationToken), cancellationToken);
    }

    /// <summary>verbatim_rate@cluster_k → the cluster's top terms, from the clusters ScoreAsync used for this epoch.</summary>
    public IReadOnlyDictionary<string, string> LabelsFor(EpochCompleted epoch)
    {
        if (!_settings.Enabled || epoch.TrainSample is null || SampleClusters.TryRead(SampleClusters.PathFor(epoch.TrainSample)) is not { } clusters)
            return new Dictionary<string, string>();
        return clusters.Clusters.ToDictionary(c => VerbatimRate(c.Cluster), c => c.Terms.Count > 0 ? string.Join(", ", c.Terms) : NoSharedTerms);
    }

    /// <summary>The label of a cluster no word of two of its records names (a one-record cluster, say): why it has no terms.</summary>
    public const string NoSharedTerms = "(no word shared by two of its records)";

    public static string VerbatimRate(int cluster) => $"verbatim_rate@cluster_{cluster}";

    public static string ClusterSize(int cluster) => $"cluster_size@cluster_{cluster}";

    private static IReadOnlyDictionary<string, double> Score(EpochCompleted epoch, SemanticClusterSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        AnnouncedWeights.Verify(epoch.Checkpoint.Path, epoch.Checkpoint.Sha256);
        var records = JsonlDataset.Read(epoch.TrainSample!);
        var clusters = ClustersFor(epoch.TrainSample!, epoch.BaseModel, records, settings, cancellationToken);

        using var model = CheckpointStore.Load(epoch.Checkpoint.Path, DeviceSelector.Resolve(settings.Device));
        var tokenizer = TokenizerLoader.ForCheckpoint(epoch.Checkpoint.Path);
        var scored = new MemorisationScorer(model, tokenizer, settings.Memorisation).Score(records, MemorisationSide.Trained, cancellationToken);
        var verbatim = scored.Records.ToDictionary(r => r.Id, r => r.Verbatim, StringComparer.Ordinal);

        var metrics = new Dictionary<string, double>();
        foreach (var cluster in clusters.Clusters)
        {
            metrics[ClusterSize(cluster.Cluster)] = cluster.RecordIds.Count;
            var outcomes = cluster.RecordIds.Where(verbatim.ContainsKey).Select(id => verbatim[id]).ToList();
            // A rate over no scored records would be a made-up zero: leave it out.
            if (outcomes.Count > 0)
                metrics[VerbatimRate(cluster.Cluster)] = outcomes.Count(v => v) / (double)outcomes.Count;
        }
        metrics["cluster_seconds"] = clock.Elapsed.TotalSeconds;
        return metrics;
    }

    /// <summary>The cached clusters when they were computed from this very input, else newly computed and cached.</summary>
    private static SampleClusters ClustersFor(string sample, string baseModel, IReadOnlyList<TextRecord> records, SemanticClusterSettings settings,
        CancellationToken cancellationToken)
    {
        var cachePath = SampleClusters.PathFor(sample);
        lock (SampleLocks.GetOrAdd(Path.GetFullPath(cachePath), _ => new object()))
        {
            var sampleSha256 = FileSha256.Of(sample);
            var baseSha256 = WeightsFingerprint.Of(baseModel);
            var ids = records.Select(r => r.Id).ToList();
            var key = settings.ClusteringKey();
            if (SampleClusters.TryRead(cachePath) is { } cached && cached.Matches(sampleSha256, baseSha256, key, ids))
                return cached;
            var computed = SampleClustering.Compute(records, baseModel, settings, sampleSha256, baseSha256, cancellationToken);
            computed.Write(cachePath);
            return computed;
        }
    }
}
