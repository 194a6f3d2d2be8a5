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
public sealed class CheckpointCompressorPlugin : ICheckpointCompressor, IConfigurablePlugin<CompressorSettings>
{
    private CompressionRequest _request = new(CompressionMethod.Parse("int8"));
    private HashSet<string> _kinds = ["best", "unlearned"];
    private string _device = "cpu";

    public string Name => "compressor";

    public void Configure(CompressorSettings settings)
    {
        var request = new CompressionRequest(CompressionMethod.Parse(settings.Method));
        if (settings.Sparsity is { } sparsity) request = request with { Sparsity = sparsity };
        if (settings.Scope is { } scope)
            request = request with { Scope = scope == "layer" ? PruningScope.PerLayer : scope == "global" ? PruningScope.Global : throw new ArgumentException($"Scope must be global or layer, not \"{scope}\"") };
        if (settings.Criterion is { } criterion)
            request = request with { StructuredCriterion = CompressionMethod.Parse(criterion).Criterion ?? throw new ArgumentException($"Criterion must be magnitude, random, obd or taylor, not \"{criterion}\"") };
        if (settings.FineTuneEpochs is { } epochs) request = request with { FineTuneEpochs = epochs };
        request.Validate();
        (_request, _kinds, _device) = (request, settings.KindSet(), settings.Device);
    }

    public Task<CompressionOutcome?> CompressAsync(CheckpointSaved checkpoint, CancellationToken cancellationToken)
    {
        // CNN checkpoints are the filter-pruner's: these methods work on transformer layers.
        if (!_kinds.Contains(checkpoint.Kind) || Pipeline.Modelling.Vision.ResNetCheckpoint.IsResNet(checkpoint.Checkpoint.Path))
            return Task.FromResult<CompressionOutcome?>(null);
        // Compression trains and decodes: off the bus's thread.
        return Task.Run<CompressionOutcome?>(() => Compress(checkpoint, cancellationToken), cancellationToken);
    }

    private CompressionOutcome Compress(CheckpointSaved checkpoint, CancellationToken cancellationToken)
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
        return new CompressionOutcome(new CheckpointReference(outcome.Folder, outcome.Sha256), outcome.Method, outcome.Bytes, outcome.SourceBytes, metrics);
    }
}
