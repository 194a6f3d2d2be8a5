using System.Diagnostics;
using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;
using static TorchSharp.torch;
using Pipeline.Data.Images;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Bus;
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
    public async Task<Dictionary<string, object?>> RunAsync(string work, CancellationToken cancellationToken)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(work);
        var (train, test) = await ImageSetCache.ForCurrentUser().LoadAsync(options.ImageSet, sink.Message, cancellationToken);
        var baseline = options.Baseline ?? TrainBaseline(train, test, Path.Combine(work, "resnet20"), cancellationToken);
        var baselineSeconds = clock.Elapsed.TotalSeconds;

        var methods = new Dictionary<string, object?>();
        var outcomes = new Dictionary<string, CnnCompressionOutcome>();
        foreach (var method in options.Methods)
        {
            var destination = Path.Combine(work, $"resnet20-{method}");
            var outcome = CnnCheckpointCompression.Compress(baseline, destination, method, options.Pruning with { Seed = options.Seed }, train, test,
                options.Sizes, sink.Message, cancellationToken);
            outcomes[method] = outcome;
            methods[method.Replace('-', '_')] = Describe(outcome);
        }

        var report = new Dictionary<string, object?>
        {
            ["methods"] = methods,
            ["baseline"] = new Dictionary<string, object?>
            {
                ["checkpoint"] = baseline,
                ["parameters"] = outcomes.Values.FirstOrDefault()?.ParametersBefore,
                ["flops"] = outcomes.Values.FirstOrDefault()?.FlopsBefore,
                ["accuracy"] = outcomes.Values.FirstOrDefault()?.AccuracyBefore,
                ["training_seconds"] = options.Baseline is null ? Math.Round(baselineSeconds, 1) : null,
            },
        };
        if (outcomes.TryGetValue("l2pf", out var l2pf) && outcomes.TryGetValue("try-and-learn", out var tryAndLearn))
            report["l2pf_time_saving"] = Math.Round(tryAndLearn.PruningSeconds / l2pf.PruningSeconds, 3);
        report["settings"] = options with { Baseline = baseline };
        report["machine"] = MachineDescription.Current();
        report["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        return report;
    }

    private static Dictionary<string, object?> Describe(CnnCompressionOutcome o) => new()
    {
        ["param_compression"] = Math.Round(o.ParamCompression, 3),
        ["flop_compression"] = Math.Round(o.FlopCompression, 3),
        ["accuracy_before"] = Math.Round(o.AccuracyBefore, 4),
        ["accuracy_after"] = Math.Round(o.AccuracyAfter, 4),
        ["pruning_seconds"] = Math.Round(o.PruningSeconds, 1),
        ["images_per_second_before"] = Math.Round(o.ImagesPerSecondBefore),
        ["images_per_second_after"] = Math.Round(o.ImagesPerSecondAfter),
        ["agent_seconds"] = Math.Round(o.Details.AgentSeconds, 1),
        ["finetune_seconds"] = Math.Round(o.Details.FineTuneSeconds, 1),
        ["finetune_steps"] = o.Details.FineTuneSteps,
        ["parameters"] = o.ParametersAfter,
        ["flops"] = o.FlopsAfter,
        ["stage_widths"] = o.Details.Model.Shape.StageWidths,
        ["block_widths"] = o.Details.Model.Shape.BlockWidths,
        ["checkpoint"] = o.Folder,
        ["layers"] = o.Details.Layers,
    };

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
