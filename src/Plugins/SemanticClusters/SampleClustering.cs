using System.Diagnostics;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Clustering;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.SemanticClusters;

/// <summary>
/// Clusters a train sample's records by meaning, as the base model reads them: each record's embedding is the base
/// model's mean final hidden state (<see cref="RecordEmbeddings"/>); the embeddings are standardised per dimension
/// (z-scores: a hidden state's dimensions differ in scale by orders of magnitude, and the autoencoder's squared error
/// would otherwise fit only the largest ones); then the K-means-friendly autoencoder is pretrained on reconstruction
/// and trained alternately with K-means (<see cref="AlternatingClustering"/>), and each cluster is named by its top
/// terms (<see cref="ClusterTerms"/>).
/// </summary>
public static class SampleClustering
{
    public static SampleClusters Compute(IReadOnlyList<TextRecord> records, string baseModel, SemanticClusterSettings settings,
        string sampleSha256, string baseModelSha256, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var k = settings.Clusters;
        if (k > records.Count)
            throw new InvalidOperationException($"Clusters is {k}, but the train sample holds only {records.Count} records: set Plugins:Settings:semantic-clusters:Clusters to at most {records.Count}");
        var texts = records.Select(r => r.FullText).ToList();

        using var scope = NewDisposeScope();
        var embeddings = Embed(baseModel, texts, settings, cancellationToken);
        if (settings.Latent > embeddings.shape[1])
            throw new InvalidOperationException($"Latent is {settings.Latent}, wider than the base model's {embeddings.shape[1]}-wide hidden state: set Latent to at most {embeddings.shape[1]}");
        var data = Standardised(embeddings);

        using var autoencoder = new DeepAutoencoder((int)data.shape[1], settings.HiddenWidths, settings.Latent);
        Reinitialise(autoencoder, settings.Seed);
        AutoencoderPretraining.Train(autoencoder, data, settings.PretrainEpochs, SemanticClusterSettings.AutoencoderBatchSize, settings.LearningRate,
            settings.Seed, cancellationToken);
        var options = new AlternatingOptions
        {
            EpochsPerRound = settings.EpochsPerRound, Lambda = settings.Lambda, Rounds = settings.Rounds,
            BatchSize = SemanticClusterSettings.AutoencoderBatchSize, LearningRate = settings.LearningRate, Seed = settings.Seed,
        };
        var (clusters, rounds) = AlternatingClustering.Fit(autoencoder, data, k, options, cancellationToken: cancellationToken);
        int[] assignments;
        using (clusters)
            assignments = clusters.Assignments;

        var numbered = LargestFirst(assignments, k);
        var renumbered = assignments.Select(a => numbered[a]).ToArray();
        var terms = ClusterTerms.TopTerms(texts, renumbered, k, settings.TopTerms);
        return new SampleClusters
        {
            SampleSha256 = sampleSha256,
            BaseModelSha256 = baseModelSha256,
            Settings = settings.ClusteringKey(),
            RecordIds = records.Select(r => r.Id).ToList(),
            Clusters = Enumerable.Range(0, k).Select(c => new SampleCluster(c + 1,
                records.Where((_, i) => renumbered[i] == c).Select(r => r.Id).ToList(), terms[c])).ToList(),
            Rounds = rounds.Count,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static Tensor Embed(string baseModel, IReadOnlyList<string> texts, SemanticClusterSettings settings, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(baseModel))
            throw new DirectoryNotFoundException($"base model folder {baseModel} not found (the clusters are computed from the base model's embeddings)");
        using var model = CheckpointStore.Load(baseModel, DeviceSelector.Resolve(settings.Device));
        var tokenizer = TokenizerLoader.ForCheckpoint(baseModel);
        return RecordEmbeddings.Embed(model, tokenizer, texts, settings.Memorisation.BatchSize, cancellationToken);
    }

    /// <summary>Per-dimension z-scores (population standard deviation); a constant dimension becomes 0, not NaN.</summary>
    public static Tensor Standardised(Tensor embeddings)
    {
        var mean = embeddings.mean([0], keepdim: true);
        var deviation = embeddings.std(0, unbiased: false, keepdim: true).clamp_min(1e-6);
        return (embeddings - mean) / deviation;
    }

    /// <summary>
    /// Redraws every weight and bias from U(−1/√fan_in, 1/√fan_in) — PyTorch's default for linear layers — with a
    /// generator of our own: the clusters then depend on Seed alone, not on what else in the process (a training run,
    /// another plugin) last drew from TorchSharp's global generator.
    /// </summary>
    private static void Reinitialise(DeepAutoencoder autoencoder, int seed)
    {
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var layer in autoencoder.modules().OfType<Linear>())
        {
            var bound = 1.0 / Math.Sqrt(layer.weight!.shape[1]);
            layer.weight.uniform_(-bound, bound, generator);
            layer.bias?.uniform_(-bound, bound, generator);
        }
    }

    /// <summary>K-means numbers clusters arbitrarily; people read them better largest first (ties: the earlier first record).</summary>
    private static int[] LargestFirst(int[] assignments, int k)
    {
        var order = Enumerable.Range(0, k)
            .OrderByDescending(c => assignments.Count(a => a == c))
            .ThenBy(c => Array.IndexOf(assignments, c) is var first && first < 0 ? int.MaxValue : first)
            .ToList();
        var number = new int[k];
        for (var rank = 0; rank < k; rank++)
            number[order[rank]] = rank;
        return number;
    }
}
