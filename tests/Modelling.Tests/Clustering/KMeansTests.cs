using Pipeline.Modelling.Clustering;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Clustering;

[Collection(TorchCollection.Name)]
public sealed class KMeansTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void K_means_finds_separable_blobs_exactly(int seed)
    {
        var (points, classes) = SyntheticBlobs.Of(k: 5, perBlob: 40, dimensions: 8, spread: 0.3, seed: seed);
        using var _ = points;
        using var result = KMeans.Fit(points, 5, seed);

        Assert.True(result.Converged);
        Assert.Equal(1.0, ClusteringScores.Accuracy(classes, result.Assignments));
        Assert.Equal(1.0, ClusteringScores.NormalisedMutualInformation(classes, result.Assignments), 6);
    }

    [Fact]
    public void The_objective_never_rises_from_one_lloyd_iteration_to_the_next()
    {
        // Overlapping blobs, so Lloyd takes many iterations.
        var (points, _) = SyntheticBlobs.Of(k: 6, perBlob: 60, dimensions: 4, spread: 2.5, seed: 9);
        using var _ = points;
        using var result = KMeans.Fit(points, 6, seed: 4);

        Assert.True(result.Objectives.Count > 2, $"only {result.Objectives.Count} iterations");
        for (var i = 1; i < result.Objectives.Count; i++)
            Assert.True(result.Objectives[i] <= result.Objectives[i - 1] * (1 + 1e-6), $"iteration {i}: {result.Objectives[i - 1]} → {result.Objectives[i]}");
    }

    [Fact]
    public void More_clusters_than_points_is_refused()
    {
        using var points = zeros(3, 2);
        Assert.Throws<ArgumentException>(() => KMeans.Fit(points, 4, seed: 1));
    }
}
