using System.Globalization;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Compression;

namespace Pipeline.Plugins.Compression;

/// <summary>
/// Checkpoint compressor on checkpoint-saved: by policy, compresses the checkpoints of the kinds it is given (default:
/// the best checkpoint once training stops, and each model version an erasure produced) with one method, using the
/// run's own records for calibration, fine-tuning, perplexity and the verbatim rate, and reports size, ratio and the
/// changes in validation perplexity and memorisation. The result lies beside the source: SOURCE-METHOD[-sNN].
/// Settings (Plugins:Settings:compressor): Method (int8; any of `pipeline compress`'s), Kinds ("best,unlearned"),
/// Sparsity (0.5), Scope (global|layer), Criterion (neurons/heads: magnitude), FineTuneEpochs (0), Device (cpu).
/// </summary>
public sealed class CheckpointCompressorPlugin : ICheckpointCompressor, IConfigurablePlugin
{
    private CompressionRequest _request = new(CompressionMethod.Parse("int8"));
    private HashSet<string> _kinds = ["best", "unlearned"];
    private string _device = "cpu";

    public string Name => "compressor";

    public void Configure(IReadOnlyDictionary<string, string> settings)
    {
        var request = new CompressionRequest(CompressionMethod.Parse("int8"));
        foreach (var (key, value) in settings)
        {
            request = key.ToLowerInvariant() switch
            {
                "method" => request with { Method = CompressionMethod.Parse(value) },
                "sparsity" => request with { Sparsity = double.Parse(value, CultureInfo.InvariantCulture) },
                "scope" => request with { Scope = value == "layer" ? PruningScope.PerLayer : value == "global" ? PruningScope.Global : throw new ArgumentException($"Scope must be global or layer, not \"{value}\"") },
                "criterion" => request with { StructuredCriterion = CompressionMethod.Parse(value).Criterion ?? throw new ArgumentException($"Criterion must be magnitude, random, obd or taylor, not \"{value}\"") },
                "finetuneepochs" => request with { FineTuneEpochs = int.Parse(value, CultureInfo.InvariantCulture) },
                "kinds" or "device" => request,
                _ => throw new ArgumentException($"unknown setting '{key}' (known: Method, Kinds, Sparsity, Scope, Criterion, FineTuneEpochs, Device)"),
            };
            if (key.Equals("kinds", StringComparison.OrdinalIgnoreCase))
                _kinds = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            if (key.Equals("device", StringComparison.OrdinalIgnoreCase))
                _device = value;
        }
        request.Validate();
        _request = request;
    }

    public Task<CompressionResult?> CompressAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        // CNN checkpoints are the filter-pruner's: these methods work on transformer layers.
        if (!_kinds.Contains(checkpoint.Kind) || Pipeline.Modelling.Vision.ResNetCheckpoint.IsResNet(checkpoint.Checkpoint.Path))
            return Task.FromResult<CompressionResult?>(null);
        // Compression trains and decodes: off the bus's thread.
        return Task.Run<CompressionResult?>(() => Compress(checkpoint, cancellationToken), cancellationToken);
    }

    private CompressionResult Compress(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        var source = checkpoint.Checkpoint.Path;
        var (data, training) = RunCompressionInput.ForCheckpoint(source)
            ?? throw new InvalidOperationException($"{source} is not a checkpoint of a run that records its data (RUN/split.json)");
        var request = _request with { Training = training };
        var destination = $"{source}-{request.OutputName}";
        var outcome = CheckpointCompression.Compress(source, destination, request, data, CheckpointCompression.Memorisation,
            _device, null, cancellationToken);
        var metrics = new Dictionary<string, double>
        {
            ["val_ppl"] = outcome.ValPpl,
            ["val_ppl_before"] = outcome.ValPplBefore,
            ["ppl_change"] = outcome.PplChange,
            ["sparsity"] = outcome.Sparsity,
            ["seconds"] = outcome.Seconds,
            ["source_epoch"] = checkpoint.Epoch,
        };
        if (outcome.VerbatimRate is { } after && outcome.VerbatimRateBefore is { } before)
        {
            metrics["verbatim_rate"] = after;
            metrics["verbatim_rate_before"] = before;
            metrics["verbatim_rate_change"] = after - before;
        }
        return new CompressionResult(new CheckpointReference(outcome.Folder, outcome.Sha256), outcome.Method, outcome.Bytes, outcome.SourceBytes, metrics);
    }
}
