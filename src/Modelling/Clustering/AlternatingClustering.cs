using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>The alternating method's settings: E epochs per network step, λ, the most rounds, and the optimiser.</summary>
public sealed record AlternatingOptions
{
    public int EpochsPerRound { get; init; } = 5;
    public double Lambda { get; init; } = 0.1;
    public int Rounds { get; init; } = 20;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-4;
    public int Seed { get; init; } = 1;
}

/// <summary>
/// One round of the alternation: the K-means objective on the new codes with the previous centroids and assignments
/// (before the K-means step) and after it, how many assignments changed, and the network step's mean losses.
/// </summary>
public sealed record AlternatingRound(int Round, double ObjectiveBefore, double ObjectiveAfter, int Changed, double Reconstruction, double Clustering);

/// <summary>
/// The K-means-friendly latent space of the seed, learned by alternating (a) E epochs of the autoencoder on
/// reconstruction + λ·‖h(x) − c_{s(x)}‖² with the assignments and centroids held fixed, and (b) full K-means on all
/// codes with the network held fixed, until the assignments stop changing. The K-means step runs k-means++ and Lloyd to
/// convergence, and also Lloyd warm-started from the previous centroids, and keeps the lower objective — so the step
/// can never raise the objective it starts from (a fresh k-means++ alone could land in a worse optimum; documented
/// choice). A fresh run's clusters are renamed to match the previous ones, so "changed" counts points that moved.
/// </summary>
public static class AlternatingClustering
{
    public static (KMeansResult Clusters, IReadOnlyList<AlternatingRound> Rounds) Fit(DeepAutoencoder model, Tensor data, int k, AlternatingOptions options,
        Action<AlternatingRound>? progress = null, CancellationToken cancellationToken = default)
    {
        using (var codes = model.EncodeAll(data))
        {
            var clusters = KMeans.Fit(codes, k, options.Seed);
            var rounds = new List<AlternatingRound>();
            using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
            var random = new Random(options.Seed);
            for (var round = 1; round <= options.Rounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (reconstruction, clustering) = NetworkStep(model, data, clusters, options, optimizer, random);
                using var newCodes = model.EncodeAll(data);
                var before = Objective(newCodes, clusters.Centroids, clusters.Assignments);
                var next = KMeansStep(newCodes, clusters, k, options.Seed + round);
                var changed = next.Assignments.Zip(clusters.Assignments).Count(p => p.First != p.Second);
                clusters.Dispose();
                clusters = next;
                var record = new AlternatingRound(round, before, clusters.Objective, changed, reconstruction, clustering);
                rounds.Add(record);
                progress?.Invoke(record);
                if (changed == 0)
                    break;
            }
            return (clusters, rounds);
        }
    }

    /// <summary>Σ ‖h − c_s‖² for given centroids and assignments.</summary>
    public static double Objective(Tensor codes, Tensor centroids, int[] assignments)
    {
        using var scope = NewDisposeScope();
        var assigned = centroids.index_select(0, tensor(assignments.Select(a => (long)a).ToArray()));
        return (codes - assigned).pow(2).sum().item<float>();
    }

    private static KMeansResult KMeansStep(Tensor codes, KMeansResult previous, int k, int seed)
    {
        var fresh = KMeans.Fit(codes, k, seed);
        var warm = KMeans.Fit(codes, previous.Centroids);
        if (fresh.Objective <= warm.Objective)
        {
            warm.Dispose();
            return ClusterRelabelling.ToMatch(fresh, previous.Assignments);
        }
        fresh.Dispose();
        return warm;
    }

    private static (double Reconstruction, double Clustering) NetworkStep(DeepAutoencoder model, Tensor data, KMeansResult clusters,
        AlternatingOptions options, optim.Optimizer optimizer, Random random)
    {
        model.train();
        var n = (int)data.shape[0];
        using var targets = clusters.Centroids.index_select(0, tensor(clusters.Assignments.Select(a => (long)a).ToArray()));
        var steps = new JointLossSteps(model, optimizer, options.Lambda);
        for (var epoch = 0; epoch < options.EpochsPerRound; epoch++)
        {
            foreach (var batch in ShuffledBatches.Of(n, options.BatchSize, random))
            {
                using var scope = NewDisposeScope();
                var index = tensor(batch);
                steps.Take(data.index_select(0, index), codes => (codes - targets.index_select(0, index)).pow(2).sum(1).mean());
            }
        }
        return steps.TakeMeans();
    }
}
