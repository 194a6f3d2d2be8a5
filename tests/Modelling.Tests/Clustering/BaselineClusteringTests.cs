using Pipeline.Modelling.Clustering;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Clustering;

[Collection(TorchCollection.Name)]
public sealed class BaselineClusteringTests
{
    [Fact]
    public void Dcn_keeps_separable_blobs_apart_while_moving_its_centroids_sample_by_sample()
    {
        var (points, classes) = SyntheticBlobs.Of(k: 4, perBlob: 50, dimensions: 12, spread: 0.5, seed: 5);
        using var _ = points;
        using var model = Pretrained(points, seed: 5);
        using var initial = InitialCentroids(model, points, 4, seed: 5);

        using var result = DeepClusteringNetwork.Fit(model, points, 4, new SgdClusteringOptions { Epochs = 3, BatchSize = 25, LearningRate = 1e-3, Seed = 5 });

        Assert.Equal(3, result.Epochs.Count);
        Assert.Equal(1.0, ClusteringScores.Accuracy(classes, result.Assignments));
        // The centroids moved with the codes (the network changed them), and the final assignment is to the nearest one.
        Assert.False(result.Centroids.allclose(initial, 1e-4, 1e-4));
        using var codes = model.EncodeAll(points);
        Assert.Equal(NearestCentroid.Assign(codes, result.Centroids), result.Assignments);
    }

    [Fact]
    public void Deep_k_means_keeps_separable_blobs_apart_and_anneals_alpha_through_the_papers_values_within_the_budget()
    {
        var (points, classes) = SyntheticBlobs.Of(k: 4, perBlob: 50, dimensions: 12, spread: 0.5, seed: 6);
        using var _ = points;
        using var model = Pretrained(points, seed: 6);

        using var result = DeepKMeans.Fit(model, points, 4, new DeepKMeansOptions { Epochs = 4, BatchSize = 25, LearningRate = 1e-3, Seed = 6 });

        Assert.Equal(1.0, ClusteringScores.Accuracy(classes, result.Assignments));
        var schedule = DeepKMeans.AlphaSchedule(0.1, 40);
        // α_{n+1} = 2^{1/ln(n+1)²} α_n: ×2^{1/ln(2)²} ≈ ×4.23 first, then ever smaller factors above 1; 40 values end near 28.
        Assert.Equal(0.1 * Math.Pow(2, 1 / Math.Pow(Math.Log(2), 2)), schedule[1], 12);
        var factors = schedule.Zip(schedule.Skip(1), (a, b) => b / a).ToList();
        Assert.All(factors, f => Assert.True(f > 1));
        Assert.True(factors.Zip(factors.Skip(1)).All(p => p.Second < p.First));
        // 4 epochs of 8 steps walk the 40 values: each epoch ends harder than the last, the run on the last value.
        var alphas = result.Epochs.Select(e => e.Alpha!.Value).ToList();
        Assert.True(alphas.Zip(alphas.Skip(1)).All(p => p.Second > p.First));
        Assert.Equal(schedule[^1], alphas[^1], 12);
    }

    [Fact]
    public void A_cloned_autoencoder_computes_the_same_codes_and_trains_apart_from_its_original()
    {
        manual_seed(7);
        using var data = randn(64, 10);
        using var original = new DeepAutoencoder(10, hidden: [16], latent: 3);
        using var copy = original.Clone();
        using var before = original.EncodeAll(data);
        using (var copied = copy.EncodeAll(data))
            Assert.True(before.allclose(copied, 0, 0));

        AutoencoderPretraining.Train(copy, data, epochs: 2, batchSize: 16, learningRate: 1e-2, seed: 1);

        using var after = original.EncodeAll(data);
        Assert.True(before.allclose(after, 0, 0));
    }

    private static DeepAutoencoder Pretrained(Tensor points, int seed)
    {
        manual_seed(seed);
        var model = new DeepAutoencoder((int)points.shape[1], hidden: [32, 32], latent: 4);
        AutoencoderPretraining.Train(model, points, epochs: 40, batchSize: 25, learningRate: 3e-3, seed: seed);
        return model;
    }

    private static Tensor InitialCentroids(DeepAutoencoder model, Tensor points, int k, int seed)
    {
        using var codes = model.EncodeAll(points);
        var initial = KMeans.Fit(codes, k, seed);
        return initial.Centroids;
    }
}
