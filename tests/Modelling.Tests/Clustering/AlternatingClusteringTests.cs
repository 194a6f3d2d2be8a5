using Pipeline.Modelling.Clustering;
using static TorchSharp.torch;

namespace Pipeline.Modelling.Tests.Clustering;

[Collection(TorchCollection.Name)]
public sealed class AlternatingClusteringTests
{
    [Fact]
    public void The_k_means_step_never_raises_the_objective_it_starts_from_and_the_loop_stops_when_assignments_settle()
    {
        manual_seed(2);
        // Four overlapping blobs in 24 dimensions, so the codes and the assignments move between rounds.
        var centres = randn(4, 24) * 2;
        using var data = cat(Enumerable.Range(0, 4).Select(c => centres[c].unsqueeze(0) + randn(60, 24)).ToArray(), 0);
        using var model = new DeepAutoencoder(24, hidden: [32, 32], latent: 4);
        var options = new AlternatingOptions { EpochsPerRound = 2, Lambda = 0.5, Rounds = 15, BatchSize = 32, LearningRate = 1e-3, Seed = 3 };

        var (clusters, rounds) = AlternatingClustering.Fit(model, data, 4, options);
        using var _ = clusters;

        Assert.NotEmpty(rounds);
        Assert.All(rounds, r => Assert.True(r.ObjectiveAfter <= r.ObjectiveBefore * (1 + 1e-6), $"round {r.Round}: {r.ObjectiveBefore} → {r.ObjectiveAfter}"));
        Assert.Contains(rounds, r => r.ObjectiveAfter < r.ObjectiveBefore); // the step does something
        Assert.True(rounds[^1].Changed == 0 || rounds.Count == options.Rounds);
        Assert.All(rounds.SkipLast(1), r => Assert.True(r.Changed > 0)); // it stopped at the first round without changes
        Assert.Equal(240, clusters.Assignments.Length);
    }

    [Fact]
    public void Pretraining_on_reconstruction_lowers_the_reconstruction_error()
    {
        manual_seed(4);
        // Points on a 3-dimensional subspace of 16 dimensions: a 3-unit code can reconstruct them.
        using var basis = randn(3, 16);
        using var data = randn(200, 3).matmul(basis);
        using var model = new DeepAutoencoder(16, hidden: [32], latent: 3);

        var losses = AutoencoderPretraining.Train(model, data, epochs: 30, batchSize: 50, learningRate: 3e-3, seed: 2);

        Assert.Equal(30, losses.Count);
        Assert.True(losses[^1] < losses[0] / 4, $"{losses[0]} → {losses[^1]}");
    }
}
