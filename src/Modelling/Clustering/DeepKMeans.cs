using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// Deep K-Means (Fard, Thonet and Gaussier, 2018/2020), the baseline that learns network and centroids together by SGD
/// with soft assignments: the clustering term is Σ_k ‖h − r_k‖² · softmax_k(−α‖h − r_k‖²), the centroids r_k are
/// parameters in the same Adam optimiser, and α is annealed so the soft assignments harden: α_1 (0.1 in the paper),
/// α_{n+1} = 2^{1/ln(n+1)²} · α_n after each epoch n (the paper's schedule, one α value per epoch here — the paper ran
/// several epochs per value; documented choice). The centroids start from K-means on the pretrained codes (the paper's
/// DKM_p variant); the final clustering assigns each code to its nearest centroid.
/// </summary>
public static class DeepKMeans
{
    public static DeepClusteringResult Fit(DeepAutoencoder model, Tensor data, int k, DeepKMeansOptions options,
        Action<ClusteringEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        Parameter representatives;
        using (var codes = model.EncodeAll(data))
        using (var initial = KMeans.Fit(codes, k, options.Seed))
            representatives = new Parameter(initial.Centroids.clone());

        using var optimizer = optim.Adam(model.parameters().Append(representatives), options.LearningRate);
        var random = new Random(options.Seed);
        var n = (int)data.shape[0];
        var alpha = options.InitialAlpha;
        var epochs = new List<ClusteringEpoch>();
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.train();
            double reconstructionSum = 0, clusteringSum = 0;
            var batches = 0;
            foreach (var batch in ShuffledBatches.Of(n, options.BatchSize, random))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var x = data.index_select(0, tensor(batch));
                var codes = model.Encode(x);
                var reconstruction = nn.functional.mse_loss(model.Decode(codes), x);
                // Squared distances written out (not cdist) so their gradient is defined where a code sits on a centroid.
                var distances = (codes.unsqueeze(1) - representatives.unsqueeze(0)).pow(2).sum(2);
                var clustering = (distances * nn.functional.softmax(-alpha * distances, 1)).sum(1).mean();
                var loss = reconstruction + options.Lambda * clustering;
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                reconstructionSum += reconstruction.item<float>();
                clusteringSum += clustering.item<float>();
                batches++;
            }
            var record = new ClusteringEpoch(epoch, reconstructionSum / Math.Max(1, batches), clusteringSum / Math.Max(1, batches), alpha);
            epochs.Add(record);
            progress?.Invoke(record);
            alpha = NextAlpha(alpha, epoch);
        }

        var centroids = representatives.detach().clone();
        representatives.Dispose();
        using (var codes = model.EncodeAll(data))
            return new DeepClusteringResult(NearestCentroid.Assign(codes, centroids), centroids, epochs);
    }

    /// <summary>The annealing step after epoch n (1-based): α · 2^{1/ln(n+1)²}.</summary>
    public static double NextAlpha(double alpha, int epoch) => alpha * Math.Pow(2, 1 / Math.Pow(Math.Log(epoch + 1), 2));
}
