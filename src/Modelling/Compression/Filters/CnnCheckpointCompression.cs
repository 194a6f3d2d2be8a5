using System.Diagnostics;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Vision;

namespace Pipeline.Modelling.Compression.Filters;

/// <summary>How many images filter pruning works with: fine-tuning images and disjoint reward images (both from the training set), and test images for the accuracies.</summary>
public sealed record CnnCompressionSizes(int TrainImages = 59_000, int RewardImages = 1_000, int TestImages = 10_000)
{
    /// <summary>
    /// The seeded split of a training set into reward images (at most a tenth of it) and fine-tuning images, disjoint:
    /// the pruners and the experiment's baseline training use the same one, so the baseline never sees the reward images.
    /// </summary>
    public (int[] Reward, int[] Train) Split(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var rewardCount = Math.Min(RewardImages, count / 10);
        return (order[..rewardCount], order[rewardCount..Math.Min(count, rewardCount + TrainImages)]);
    }

    public void Validate()
    {
        if (TrainImages < 1 || RewardImages < 10 || TestImages < 10)
            throw new ArgumentException("filter pruning needs training images, and at least 10 reward and 10 test images");
    }
}

/// <summary>What compressing a CNN checkpoint did.</summary>
public sealed record CnnCompressionOutcome(string Method, string Folder, string Sha256, long SourceBytes, long Bytes,
    long ParametersBefore, long ParametersAfter, long FlopsBefore, long FlopsAfter, double AccuracyBefore, double AccuracyAfter,
    double PruningSeconds, double ImagesPerSecondBefore, double ImagesPerSecondAfter, FilterPruningOutcome Details)
{
    /// <summary>How much faster the pruned network classifies the test images (eval mode, batches of 500, this machine's threads).</summary>
    public double Speedup => ImagesPerSecondAfter / ImagesPerSecondBefore;

    public double ParamCompression => (double)ParametersBefore / ParametersAfter;
    public double FlopCompression => (double)FlopsBefore / FlopsAfter;
    public double AccuracyDrop => AccuracyBefore - AccuracyAfter;
}

/// <summary>
/// Filter pruning of a ResNet checkpoint (`pipeline compress --method l2pf|try-and-learn|l1-filters`, the filter-pruner
/// plugin, `pipeline experiment l2pf`): loads it, prunes with the method on the image set it was trained on, writes the
/// smaller checkpoint, and measures test accuracy before and after. The training images are split by the seed into
/// reward images (the agents' validation set) and fine-tuning images, never overlapping.
/// </summary>
public static class CnnCheckpointCompression
{
    public static CnnCompressionOutcome Compress(string source, string destination, string method, FilterPruningOptions options,
        ImageSet train, ImageSet test, CnnCompressionSizes sizes, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        sizes.Validate();
        options.Validate();
        var pruner = FilterPruningMethod.Create(method);
        var (model, normalisation, dataset) = ResNetCheckpoint.Load(source);
        using var _ = model;
        if (train.Height > model.Shape.ImageSize || train.Width > model.Shape.ImageSize)
            throw new ArgumentException($"{source} takes {model.Shape.ImageSize}-pixel images; the data's are {train.Height}×{train.Width}");
        var (rewardRows, trainRows) = sizes.Split(train.Count, options.Seed);
        using var rewardImages = new ImageTensors(train.Select(rewardRows), model.Shape.ImageSize, normalisation);
        using var trainImages = new ImageTensors(train.Select(trainRows), model.Shape.ImageSize, normalisation);
        using var testImages = new ImageTensors(test.Sample(sizes.TestImages, options.Seed), model.Shape.ImageSize, normalisation);

        var clock = Stopwatch.StartNew();
        var before = ClassifierTraining.Accuracy(model, testImages);
        var speedBefore = testImages.Count / clock.Elapsed.TotalSeconds;
        progress?.Invoke($"{method}: {source}: test accuracy {before:P2} on {testImages.Count:N0} images; pruning with {trainImages.Count:N0} fine-tuning and {rewardImages.Count:N0} reward images");
        var watch = Stopwatch.StartNew();
        var outcome = pruner.Prune(model, new FilterPruningData(trainImages, rewardImages), options, progress, cancellationToken);
        var seconds = watch.Elapsed.TotalSeconds;
        using var pruned = outcome.Model;
        clock.Restart();
        var after = ClassifierTraining.Accuracy(pruned, testImages);
        var speedAfter = testImages.Count / clock.Elapsed.TotalSeconds;
        var info = ResNetCheckpoint.Save(pruned, normalisation, destination, dataset, new Dictionary<string, string>
        {
            ["pipeline_compression"] = method,
            ["pipeline_source"] = source,
        });
        var costBefore = ModelCost.Of(model.Shape);
        var costAfter = ModelCost.Of(pruned.Shape);
        progress?.Invoke($"{method}: {costBefore.Parameters:N0} → {costAfter.Parameters:N0} parameters, test accuracy {before:P2} → {after:P2}, " +
                         $"{speedBefore:N0} → {speedAfter:N0} test images/s, {seconds:0.0} s pruning");
        return new CnnCompressionOutcome(method, destination, info.Sha256, new FileInfo(Path.Combine(source, CheckpointStore.WeightsFileName)).Length, info.Bytes,
            costBefore.Parameters, costAfter.Parameters, costBefore.Flops, costAfter.Flops, before, after, seconds, speedBefore, speedAfter, outcome);
    }
}
