using System.Diagnostics;
using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;
using Pipeline.Data.Images;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Node.FineTuning;

namespace Pipeline.Lab.Experiments.L2pf;

/// <summary>
/// `pipeline experiment l2pf`: trains ResNet20 on Fashion-MNIST (28×28 padded to 32×32), then prunes the same trained
/// network with L2PF, try-and-learn and uniform L1-norm filter pruning; for each, parameter and FLOP compression, test
/// accuracy before and after, and the seconds spent pruning (agents, their evaluations and all fine-tuning) — the CPU
/// stand-in for the paper's GPU hours — with L2PF's time against try-and-learn's.
/// </summary>
public sealed class L2pfExperiment(L2pfExperimentOptions options, ITrainingProgressSink sink)
{
    public async Task<L2pfReport> RunAsync(string work, CancellationToken cancellationToken)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(work);
        var (train, test) = await ImageSetCache.ForCurrentUser().LoadAsync(options.ImageSet, sink.Message, cancellationToken);
        var baseline = options.Baseline ?? TrainBaseline(train, test, Path.Combine(work, "resnet20"), cancellationToken);
        var baselineSeconds = clock.Elapsed.TotalSeconds;

        var methods = new Dictionary<string, L2pfMethodFigures>();
        var outcomes = new Dictionary<string, CnnCompressionOutcome>();
        foreach (var method in options.Methods)
        {
            var destination = Path.Combine(work, $"resnet20-{method}");
            var outcome = CnnCheckpointCompression.Compress(baseline, destination, method, options.Pruning with { Seed = options.Seed }, train, test,
                options.Sizes, sink.Message, cancellationToken);
            outcomes[method] = outcome;
            methods[method.Replace('-', '_')] = Describe(outcome);
        }

        var first = outcomes.Values.FirstOrDefault();
        var baselineFigures = new L2pfBaseline(baseline, first?.ParametersBefore, first?.FlopsBefore, first?.AccuracyBefore,
            options.Baseline is null ? Math.Round(baselineSeconds, 1) : null);
        double? timeSaving = outcomes.TryGetValue("l2pf", out var l2pf) && outcomes.TryGetValue("try-and-learn", out var tryAndLearn)
            ? Math.Round(tryAndLearn.PruningSeconds / l2pf.PruningSeconds, 3)
            : null;
        return new L2pfReport(methods, baselineFigures, timeSaving, options with { Baseline = baseline }, MachineDescription.Current(),
            Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    private static L2pfMethodFigures Describe(CnnCompressionOutcome o) => new(
        Math.Round(o.ParamCompression, 3), Math.Round(o.FlopCompression, 3), Math.Round(o.AccuracyBefore, 4), Math.Round(o.AccuracyAfter, 4),
        Math.Round(o.PruningSeconds, 1), Math.Round(o.ImagesPerSecondBefore), Math.Round(o.ImagesPerSecondAfter), Math.Round(o.Details.AgentSeconds, 1),
        Math.Round(o.Details.FineTuneSeconds, 1), o.Details.FineTuneSteps, o.ParametersAfter, o.FlopsAfter, o.Details.Model.Shape.StageWidths,
        o.Details.Model.Shape.BlockWidths, o.Folder, o.Details.Layers);

    /// <summary>Trains ResNet20 from scratch on the training sample (SGD, momentum 0.9, cosine rate) and saves it.</summary>
    private string TrainBaseline(ImageSet train, ImageSet test, string folder, CancellationToken cancellationToken)
    {
        manual_seed(options.Seed);
        var normalisation = ImageNormalisation.Of(train);
        // The same split the pruners use (CnnCheckpointCompression): the baseline never sees the reward images.
        var (_, trainRows) = options.Sizes.Split(train.Count, options.Seed);
        using var images = new ImageTensors(train.Select(trainRows), 32, normalisation);
        using var testImages = new ImageTensors(test.Sample(options.Sizes.TestImages, options.Seed), 32, normalisation);
        using var model = new ResNet(ResNetShape.Cifar(inChannels: 1, classes: train.ClassNames.Count));
        var steps = options.TrainEpochs * ClassifierTraining.StepsPerEpoch(images.Count, options.Training.BatchSize);
        var watch = Stopwatch.StartNew();
        sink.Message($"l2pf: training ResNet20 ({ModelCost.Of(model.Shape).Parameters:N0} parameters) on {images.Count:N0} images for {options.TrainEpochs} epochs ({steps} steps)");
        var every = Math.Max(1, steps / 20);
        ClassifierTraining.Train(model, images, steps, options.Training with { Seed = options.Seed }, (step, loss) =>
        {
            if (step % every == 0 || step == steps)
                sink.Message($"l2pf: step {step}/{steps}, loss {loss:0.000}, {watch.Elapsed.TotalSeconds:0} s");
        }, cancellationToken);
        var accuracy = ClassifierTraining.Accuracy(model, testImages);
        sink.Message($"l2pf: ResNet20 test accuracy {accuracy:P2} after {watch.Elapsed.TotalSeconds:0} s");
        ResNetCheckpoint.Save(model, normalisation, folder, options.ImageSet);
        return folder;
    }
}
