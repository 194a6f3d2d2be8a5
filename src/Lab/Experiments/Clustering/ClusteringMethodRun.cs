using System.Diagnostics;
using Pipeline.Modelling.Clustering;
using static TorchSharp.torch;

namespace Pipeline.Lab.Experiments.Clustering;

/// <summary>One method's clustering of one data set from one pretrained network: its scores, seconds and epochs spent.</summary>
public sealed record ClusteringRunFigures(string Method, int Seed, double Acc, double Nmi, double Ari, double Seconds, int Epochs);

/// <summary>Runs one of the experiment's four methods on a copy of the pretrained autoencoder and scores it against the classes.</summary>
public static class ClusteringMethodRun
{
    public static ClusteringRunFigures Run(string method, DeepAutoencoder pretrained, Tensor data, int[] classes, int seed,
        ClusteringExperimentOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var k = classes.Distinct().Count();
        using var model = pretrained.Clone();
        var clock = Stopwatch.StartNew();
        var (assignments, epochs) = method switch
        {
            "ae_kmeans" => AeKMeans(model, data, k, seed),
            "alternating" => Alternating(model, data, k, seed, options, progress, cancellationToken),
            "dcn" => Dcn(model, data, k, seed, options, progress, cancellationToken),
            "dkm" => Dkm(model, data, k, seed, options, progress, cancellationToken),
            _ => throw new ArgumentException($"unknown method \"{method}\""),
        };
        var seconds = clock.Elapsed.TotalSeconds;
        return new ClusteringRunFigures(method, seed, ClusteringScores.Accuracy(classes, assignments),
            ClusteringScores.NormalisedMutualInformation(classes, assignments), ClusteringScores.AdjustedRandIndex(classes, assignments), seconds, epochs);
    }

    private static (int[], int) AeKMeans(DeepAutoencoder model, Tensor data, int k, int seed)
    {
        using var codes = model.EncodeAll(data);
        using var clusters = KMeans.Fit(codes, k, seed);
        return (clusters.Assignments, 0);
    }

    private static (int[], int) Alternating(DeepAutoencoder model, Tensor data, int k, int seed, ClusteringExperimentOptions options,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var settings = new AlternatingOptions
        {
            EpochsPerRound = options.EpochsPerRound,
            Rounds = Math.Max(1, options.Epochs / options.EpochsPerRound),
            Lambda = options.Lambda,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            Seed = seed,
        };
        var (clusters, rounds) = AlternatingClustering.Fit(model, data, k, settings,
            r => progress($"    alternating round {r.Round}: objective {r.ObjectiveBefore:0.0} → {r.ObjectiveAfter:0.0}, {r.Changed} assignments changed"),
            cancellationToken);
        using (clusters)
            return (clusters.Assignments, rounds.Count * options.EpochsPerRound);
    }

    private static (int[], int) Dcn(DeepAutoencoder model, Tensor data, int k, int seed, ClusteringExperimentOptions options,
        Action<string> progress, CancellationToken cancellationToken)
    {
        using var result = DeepClusteringNetwork.Fit(model, data, k, Budget(seed, options), EpochLine("dcn", options, progress), cancellationToken);
        return (result.Assignments, result.Epochs.Count);
    }

    private static (int[], int) Dkm(DeepAutoencoder model, Tensor data, int k, int seed, ClusteringExperimentOptions options,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var settings = new DeepKMeansOptions
        {
            Epochs = options.Epochs, Lambda = options.Lambda, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = seed,
            InitialAlpha = options.InitialAlpha,
        };
        using var result = DeepKMeans.Fit(model, data, k, settings, EpochLine("dkm", options, progress), cancellationToken);
        return (result.Assignments, result.Epochs.Count);
    }

    private static SgdClusteringOptions Budget(int seed, ClusteringExperimentOptions options) => new()
    {
        Epochs = options.Epochs, Lambda = options.Lambda, BatchSize = options.BatchSize, LearningRate = options.LearningRate, Seed = seed,
    };

    /// <summary>A progress line every few epochs (and the last), not every epoch.</summary>
    private static Action<ClusteringEpoch> EpochLine(string method, ClusteringExperimentOptions options, Action<string> progress) => e =>
    {
        if (e.Epoch % 5 == 0 || e.Epoch == options.Epochs)
            progress($"    {method} epoch {e.Epoch}/{options.Epochs}: reconstruction {e.Reconstruction:0.0000}, clustering {e.Clustering:0.000}" +
                     (e.Alpha is { } a ? $", α {a:0.###}" : ""));
    };
}
