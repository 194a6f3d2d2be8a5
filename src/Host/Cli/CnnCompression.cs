using System.CommandLine;
using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;
using Pipeline.Data.Images;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline compress` on a ResNet checkpoint: filter pruning (l2pf, try-and-learn, l1-filters) with the image set its
/// config names (or --data), fine-tuning and measuring as <see cref="CnnCheckpointCompression"/> does.
/// </summary>
internal sealed class CnnCompression
{
    private readonly Option<double?> _allowedDrop = new("--allowed-drop") { Description = "CNN methods: b, the accuracy drop a layer's pruning may cost before fine-tuning (default 0.15)." };
    private readonly Option<int?> _episodes = new("--episodes") { Description = "CNN methods: most REINFORCE episodes per layer (default 20)." };
    private readonly Option<int?> _steps = new("--finetune-steps") { Description = "CNN methods: fine-tuning steps per layer (try-and-learn's fixed, L2PF's most; default 60)." };
    private readonly Option<int?> _finalSteps = new("--final-steps") { Description = "CNN methods: fine-tuning steps after the last layer (default 0)." };
    private readonly Option<double?> _uniformKeep = new("--keep") { Description = "l1-filters: share of every group's filters to keep (default 0.58)." };
    private readonly Option<int?> _trainImages = new("--train-images") { Description = "CNN methods: fine-tuning images (default 59,000)." };
    private readonly Option<int?> _testImages = new("--test-images") { Description = "CNN methods: test images for the accuracies (default 10,000)." };

    public IEnumerable<Option> Options => [_allowedDrop, _episodes, _steps, _finalSteps, _uniformKeep, _trainImages, _testImages];

    public async Task<int> RunAsync(ParseResult parse, string folder, string method, string? data, string? output, int seed, bool json, CancellationToken cancellationToken)
    {
        if (!FilterPruningMethod.Is(method))
            throw new UsageException($"{folder} is a CNN (ResNet) checkpoint: --method must be {string.Join(", ", FilterPruningMethod.Names)}, not \"{method}\"");
        var options = new FilterPruningOptions { Seed = seed };
        if (parse.GetValue(_allowedDrop) is { } b) options = options with { AllowedDrop = b };
        if (parse.GetValue(_episodes) is { } e) options = options with { Episodes = e };
        if (parse.GetValue(_steps) is { } s) options = options with { FineTuneSteps = s };
        if (parse.GetValue(_finalSteps) is { } f) options = options with { FinalSteps = f };
        if (parse.GetValue(_uniformKeep) is { } k) options = options with { UniformKeep = k };
        var sizes = new CnnCompressionSizes();
        if (parse.GetValue(_trainImages) is { } n) sizes = sizes with { TrainImages = n };
        if (parse.GetValue(_testImages) is { } t) sizes = sizes with { TestImages = t };
        try
        {
            options.Validate();
            sizes.Validate();
        }
        catch (ArgumentException bad)
        {
            throw new UsageException(bad.Message);
        }

        TorchRuntime.EnsureLoaded();
        var (probe, _, named) = ResNetCheckpoint.Load(folder);
        probe.Dispose();
        var imageSet = data ?? named ?? throw new UsageException($"{folder}: config.json names no dataset: give --data ({KnownImageSets.Names})");
        if (KnownImageSets.Find(imageSet) is null)
            throw new UsageException($"--data {imageSet}: not an image set (known: {KnownImageSets.Names})");
        var (train, test) = await ImageSetCache.ForCurrentUser().LoadAsync(imageSet, CliOutput.Progress, cancellationToken);
        var destination = Path.GetFullPath(output ?? $"{folder}-{method}");
        var outcome = CnnCheckpointCompression.Compress(folder, destination, method, options, train, test, sizes, CliOutput.Progress, cancellationToken);
        outcome.Details.Model.Dispose();
        if (json)
        {
            CliOutput.WriteJson(new
            {
                outcome.Method, Source = folder, Out = outcome.Folder, outcome.SourceBytes, outcome.Bytes, Ratio = (double)outcome.SourceBytes / outcome.Bytes,
                outcome.ParametersBefore, outcome.ParametersAfter, outcome.ParamCompression, outcome.FlopsBefore, outcome.FlopsAfter, outcome.FlopCompression,
                outcome.AccuracyBefore, outcome.AccuracyAfter, outcome.ImagesPerSecondBefore, outcome.ImagesPerSecondAfter, outcome.Speedup,
                outcome.PruningSeconds, outcome.Details.AgentSeconds, outcome.Details.FineTuneSeconds,
                outcome.Details.FineTuneSteps, outcome.Details.Layers,
            });
            return ExitCodes.Success;
        }
        Console.WriteLine($"{method}: {outcome.Folder}");
        Console.WriteLine($"  parameters {outcome.ParametersBefore:N0} → {outcome.ParametersAfter:N0} ({outcome.ParamCompression:0.00}× smaller)");
        Console.WriteLine($"  FLOPs      {outcome.FlopsBefore:N0} → {outcome.FlopsAfter:N0} ({outcome.FlopCompression:0.00}× fewer)");
        Console.WriteLine($"  accuracy   {outcome.AccuracyBefore:P2} → {outcome.AccuracyAfter:P2}");
        Console.WriteLine($"  speed      {outcome.ImagesPerSecondBefore:N0} → {outcome.ImagesPerSecondAfter:N0} test images/s ({outcome.Speedup:0.00}× faster)");
        Console.WriteLine($"  seconds    {outcome.PruningSeconds:0.0} ({outcome.Details.AgentSeconds:0.0} agent, {outcome.Details.FineTuneSeconds:0.0} fine-tuning {outcome.Details.FineTuneSteps} steps)");
        return ExitCodes.Success;
    }
}
