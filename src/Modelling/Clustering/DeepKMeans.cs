using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// Deep K-Means (Fard, Thonet and Gaussier, 2018/2020), the baseline that learns network and centroids together by SGD
/// with soft assignments: the clustering term is Σ_k ‖h − r_k‖² · softmax_k(−α‖h − r_k‖²), the centroids r_k are
/// parameters in the same Adam optimiser, and α is annealed so the soft assignments harden: the paper's sequence
/// α_1 = 0.1, α_{n+1} = 2^{1/ln(n+1)²} · α_n for its 40 values (0.1 → 28.1). The paper trains several epochs on each
/// value; under our smaller budget the 40 values are spread evenly over all mini-batch steps instead, so the run still
/// ends as hard as the paper's (documented choice). The centroids start from K-means on the pretrained codes (the
/// paper's DKM_p variant); the final clustering assigns each code to its nearest centroid.
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
        var alphas = AlphaSchedule(options.InitialAlpha, options.AlphaValues);
        var stepsPerEpoch = (n + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = stepsPerEpoch * options.Epochs;
        var step = 0;
        var alpha = alphas[0];
        var epochs = new List<ClusteringEpoch>();
        var steps = new JointLossSteps(model, optimizer, options.Lambda);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            model.train();
            foreach (var batch in ShuffledBatches.Of(n, options.BatchSize, random))
            {
                cancellationToken.ThrowIfCancellationRequested();
                alpha = alphas[AlphaIndex(step++, totalSteps, alphas.Count)];
                using var scope = NewDisposeScope();
                steps.Take(data.index_select(0, tensor(batch)), codes =>
                {
                    // Squared distances written out (not cdist) so their gradient is defined where a code sits on a centroid.
                    var distances = (codes.unsqueeze(1) - representatives.unsqueeze(0)).pow(2).sum(2);
                    return (distances * nn.functional.softmax(-alpha * distances, 1)).sum(1).mean();
                });
            }
            var (reconstruction, clustering) = steps.TakeMeans();
            var record = new ClusteringEpoch(epoch, reconstruction, clustering, alpha);
            epochs.Add(record);
            progress?.Invoke(record);
        }

        var centroids = representatives.detach().clone();
        representatives.Dispose();
        using (var codes = model.EncodeAll(data))
            return new DeepClusteringResult(NearestCentroid.Assign(codes, centroids), centroids, epochs);
    }

    /// <summary>Which of the α values step s of S uses: evenly spaced, from the first value at step 0 to the last at the last step.</summary>
    private static int AlphaIndex(int step, int totalSteps, int values) =>
        totalSteps <= 1 ? values - 1 : (int)Math.Round((double)step * (values - 1) / (totalSteps - 1));

    /// <summary>The paper's α values: α_1 = <paramref name="initial"/>, α_{n+1} = 2^{1/ln(n+1)²} · α_n.</summary>
    public static IReadOnlyList<double> AlphaSchedule(double initial, int count)
    {
        var alphas = new List<double> { initial };
        for (var n = 1; n < count; n++)
            alphas.Add(alphas[^1] * Math.Pow(2, 1 / Math.Pow(Math.Log(n + 1), 2)));
        return alphas;
    }
}
