using static TorchSharp.torch;

namespace Pipeline.Modelling.Clustering;

/// <summary>
/// The budget and loss weight shared by the baselines that move centroids during network training (DCN, Deep
/// K-Means): epochs after pretraining, λ of the clustering term, mini-batch size, Adam's rate, seed. The loss is the
/// alternating method's — mean squared reconstruction error + λ · the batch's mean clustering term — so the methods
/// differ only in how assignments and centroids move.
/// </summary>
public record SgdClusteringOptions
{
    public int Epochs { get; init; } = 50;
    public double Lambda { get; init; } = 0.1;
    public int BatchSize { get; init; } = 256;
    public double LearningRate { get; init; } = 1e-4;
    public int Seed { get; init; } = 1;
}

/// <summary>Deep K-Means adds its softmax's inverse temperature α: the first value and how many the annealing passes through (see <see cref="DeepKMeans"/>).</summary>
public sealed record DeepKMeansOptions : SgdClusteringOptions
{
    public double InitialAlpha { get; init; } = 0.1;
    public int AlphaValues { get; init; } = 40;
}

/// <summary>One training epoch of a deep-clustering baseline: mean reconstruction and clustering terms, and α (at its last step) where there is one.</summary>
public sealed record ClusteringEpoch(int Epoch, double Reconstruction, double Clustering, double? Alpha = null);

/// <summary>A deep-clustering baseline's outcome: every point's cluster, the final centroids (k × latent) and the epochs.</summary>
public sealed record DeepClusteringResult(int[] Assignments, Tensor Centroids, IReadOnlyList<ClusteringEpoch> Epochs) : IDisposable
{
    public void Dispose() => Centroids.Dispose();
}
