using System.CommandLine;
using Pipeline.Modelling.Compression.Filters;
using Pipeline.Lab.Experiments.L2pf;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>`pipeline experiment l2pf [--quick] [--json]`: L2PF vs try-and-learn vs uniform L1 filter pruning of ResNet20 on Fashion-MNIST.</summary>
public static class L2pfExperimentCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "10,000 training images, 5 epochs, at most 10 episodes × 6 samples and 30 fine-tuning steps per layer, 60 final steps: under 15 minutes on 2 cores." };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs of the baseline's training (default 8, --quick 5)." };
        var baseline = new Option<string?>("--baseline") { Description = "Prune this trained ResNet checkpoint instead of training one (e.g. an earlier run's resnet20 folder)." };
        var methods = new Option<string[]>("--methods") { Description = $"Methods to run (default all: {string.Join(", ", FilterPruningMethod.Names)}).", AllowMultipleArgumentsPerToken = true };
        var allowedDrop = new Option<double?>("--allowed-drop") { Description = "b: the accuracy drop a layer's pruning may cost before fine-tuning (default 0.15)." };
        var episodes = new Option<int?>("--episodes") { Description = "Most REINFORCE episodes per layer (default 20, --quick 10)." };
        var steps = new Option<int?>("--finetune-steps") { Description = "Try-and-learn's fine-tuning steps per layer, L2PF's most (default 60, --quick 30)." };
        var finalSteps = new Option<int?>("--final-steps") { Description = "Fine-tuning steps after the last layer, the same for every method (default 120, --quick 60)." };
        var trainImages = new Option<int?>("--train-images") { Description = "Training images for the baseline and fine-tuning (default 59,000, --quick 10,000)." };
        var rewardImages = new Option<int?>("--reward-images") { Description = "Held-out training images the agents score their choices on (default 1,000, --quick 500)." };
        var testImages = new Option<int?>("--test-images") { Description = "Test images for the accuracies (default 10,000, --quick 2,000)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the splits, the network and the agents.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Work folder for the checkpoints.", DefaultValueFactory = _ => "experiments" };
        var json = CommonOptions.Json();
        var command = new Command("l2pf",
            "Train ResNet20 on Fashion-MNIST, then prune it with L2PF (a multi-task agent that learns which filters to drop and how long to fine-tune " +
            "each layer), try-and-learn (REINFORCE per layer, fixed fine-tuning) and uniform L1-norm filter pruning; report parameter and FLOP " +
            "compression, test accuracy before and after, and the seconds spent pruning.")
        {
            quick, epochs, baseline, methods, allowedDrop, episodes, steps, finalSteps, trainImages, rewardImages, testImages, seed, output, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = parse.GetValue(quick) ? L2pfExperimentOptions.Quick : new L2pfExperimentOptions();
            var pruning = options.Pruning;
            if (parse.GetValue(allowedDrop) is { } b) pruning = pruning with { AllowedDrop = b };
            if (parse.GetValue(episodes) is { } e) pruning = pruning with { Episodes = e };
            if (parse.GetValue(steps) is { } s) pruning = pruning with { FineTuneSteps = s };
            if (parse.GetValue(finalSteps) is { } f) pruning = pruning with { FinalSteps = f };
            var sizes = options.Sizes;
            if (parse.GetValue(trainImages) is { } n) sizes = sizes with { TrainImages = n };
            if (parse.GetValue(rewardImages) is { } r) sizes = sizes with { RewardImages = r };
            if (parse.GetValue(testImages) is { } t) sizes = sizes with { TestImages = t };
            options = options with
            {
                Sizes = sizes,
                Pruning = pruning,
                Seed = parse.GetValue(seed),
                TrainEpochs = parse.GetValue(epochs) ?? options.TrainEpochs,
                Methods = parse.GetValue(methods) is { Length: > 0 } chosen ? chosen : options.Methods,
                Baseline = parse.GetValue(baseline) is { } path ? Path.GetFullPath(path) : null,
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException bad)
            {
                throw new UsageException(bad.Message);
            }
            if (options.Baseline is { } given && !Pipeline.Modelling.Vision.ResNetCheckpoint.IsResNet(given))
                throw new UsageException($"--baseline {given}: not a ResNet checkpoint folder (no config.json with model_type resnet)");
            TorchRuntime.EnsureLoaded();
            var work = Path.GetFullPath(Path.Combine(parse.GetValue(output)!, $"l2pf-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
            var report = await new L2pfExperiment(options, new ConsoleProgressSink()).RunAsync(work, cancellationToken);
            Pipeline.Modelling.Storage.AtomicFile.WriteAllText(Path.Combine(work, "result.json"), System.Text.Json.JsonSerializer.Serialize(report, CliOutput.Json));
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(report);
                return ExitCodes.Success;
            }
            L2pfTable.Print(report);
            Console.WriteLine($"  result: {Path.Combine(work, "result.json")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
