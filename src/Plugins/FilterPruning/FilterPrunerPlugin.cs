using System.Globalization;
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
public sealed class FilterPrunerPlugin : ICheckpointCompressor, IConfigurablePlugin
{
    private string _method = "l2pf";
    private HashSet<string> _kinds = ["best"];
    private FilterPruningOptions _options = new();
    private CnnCompressionSizes _sizes = new();

    public string Name => "filter-pruner";

    public void Configure(IReadOnlyDictionary<string, string> settings)
    {
        var method = "l2pf";
        var options = new FilterPruningOptions();
        var sizes = new CnnCompressionSizes();
        HashSet<string> kinds = ["best"];
        foreach (var (key, value) in settings)
        {
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            double Real() => double.Parse(value, CultureInfo.InvariantCulture);
            switch (key.ToLowerInvariant())
            {
                case "method": method = FilterPruningMethod.Is(value) ? value : throw new ArgumentException($"Method must be one of {string.Join(", ", FilterPruningMethod.Names)}, not \"{value}\""); break;
                case "kinds": kinds = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal); break;
                case "alloweddrop": options = options with { AllowedDrop = Real() }; break;
                case "episodes": options = options with { Episodes = Int() }; break;
                case "samples": options = options with { Samples = Int() }; break;
                case "finetunesteps": options = options with { FineTuneSteps = Int() }; break;
                case "finalsteps": options = options with { FinalSteps = Int() }; break;
                case "uniformkeep": options = options with { UniformKeep = Real() }; break;
                case "seed": options = options with { Seed = Int() }; break;
                case "trainimages": sizes = sizes with { TrainImages = Int() }; break;
                case "rewardimages": sizes = sizes with { RewardImages = Int() }; break;
                case "testimages": sizes = sizes with { TestImages = Int() }; break;
                default:
                    throw new ArgumentException($"unknown setting '{key}' (known: Method, Kinds, AllowedDrop, Episodes, Samples, FineTuneSteps, FinalSteps, UniformKeep, Seed, TrainImages, RewardImages, TestImages)");
            }
        }
        options.Validate();
        sizes.Validate();
        (_method, _kinds, _options, _sizes) = (method, kinds, options, sizes);
    }

    public Task<CompressionResult?> CompressAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        if (!_kinds.Contains(checkpoint.Kind) || !ResNetCheckpoint.IsResNet(checkpoint.Checkpoint.Path))
            return Task.FromResult<CompressionResult?>(null);
        // Pruning trains and evaluates for minutes: off the bus's thread.
        return Task.Run<CompressionResult?>(async () => await CompressAsync(checkpoint.Checkpoint.Path, cancellationToken), cancellationToken);
    }

    private async Task<CompressionResult> CompressAsync(string source, CancellationToken cancellationToken)
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
        return new CompressionResult(new CheckpointReference(outcome.Folder, outcome.Sha256), _method, outcome.Bytes, outcome.SourceBytes, metrics);
    }
}
