using System.Diagnostics;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Tokenization;
using Pipeline.Modelling.Training;

namespace Pipeline.Modelling.Compression;

/// <summary>What to compress a checkpoint with, and how the pruned model is fine-tuned (0 epochs: one-shot).</summary>
public sealed record CompressionRequest(CompressionMethod Method, double Sparsity = 0.5, PruningScope Scope = PruningScope.Global,
    int FineTuneEpochs = 0, int Iterations = 1, PruningCriterion StructuredCriterion = PruningCriterion.Magnitude)
{
    /// <summary>The compressed checkpoint's folder name: the method, and the sparsity when it prunes (int8, magnitude-s50).</summary>
    public string OutputName => $"{Method.Name}{(Method.Prunes ? $"-s{Sparsity * 100:0}" : "")}";

    /// <summary>The damage estimate that ranks what is removed: the method's own, or for neurons and heads the chosen one.</summary>
    public PruningCriterion? Criterion => Method.Criterion ?? (Method.Unit is null ? null : StructuredCriterion);

    /// <summary>Whether the method needs gradients over calibration data.</summary>
    public bool NeedsCalibration => Criterion is PruningCriterion.Obd or PruningCriterion.Taylor;

    public TrainingOptions Training { get; init; } = new() { Epochs = 1, BatchSize = 16, ContextLength = 128, LearningRate = 5e-4, Seed = 1 };

    public void Validate()
    {
        if (Method.Prunes && !(Sparsity > 0 && Sparsity < 1)) throw new ArgumentException("--sparsity must be in (0, 1)");
        if (FineTuneEpochs < 0) throw new ArgumentException("--finetune-epochs must be ≥ 0");
        if (Iterations < 1) throw new ArgumentException("--iterations must be at least 1");
        if (!Method.Prunes && (FineTuneEpochs > 0 || Iterations > 1)) throw new ArgumentException($"{Method.Name} quantises weights: it takes no fine-tuning or iterations");
        if (Method.Unit is not null && Iterations > 1) throw new ArgumentException($"{Method.Name} removes units in one round: --iterations is for unstructured pruning");
    }
}

/// <summary>
/// Records for compressing a model: training sequences (calibration and fine-tuning), validation sequences
/// (perplexity) and, optionally, trained-on records to measure verbatim memorisation before and after.
/// </summary>
public sealed record CompressionData(IReadOnlyList<TextRecord> Train, IReadOnlyList<TextRecord> Validation, IReadOnlyList<TextRecord>? MemorisationSample);

public sealed record CheckpointCompressionOutcome(
    string Method, double Sparsity, string Folder, string Sha256, long SourceBytes, long Bytes, double ValPplBefore, double ValPpl,
    double? VerbatimRateBefore, double? VerbatimRate, double Seconds)
{
    public double Ratio => Bytes > 0 ? (double)SourceBytes / Bytes : 0;

    public double PplChange => ValPpl / ValPplBefore - 1;
}

/// <summary>
/// Compresses one checkpoint: quantisation stores the weights in the method's format; unstructured pruning ranks the
/// prunable weights by the criterion, removes the requested share (over Iterations rounds, each followed by
/// FineTuneEpochs of fine-tuning with the mask re-applied after every step; already-removed weights stay removed) and
/// stores the result sparse; structured pruning removes that share of each layer's neurons or heads and fine-tunes the
/// smaller model. Perplexity and verbatim rate are measured before, and after on the saved checkpoint loaded back.
/// The output folder is written under a temporary name and renamed into place.
/// </summary>
public static class CheckpointCompression
{
    /// <summary>How the verbatim rate before and after is measured: P = S = 16, as the main job scores its epochs.</summary>
    public static readonly MemorisationSettings Memorisation = new() { PrefixTokens = 16, SuffixTokens = 16 };

    public static CheckpointCompressionOutcome Compress(string source, string destination, CompressionRequest request, CompressionData data,
        MemorisationSettings memorisation, string device, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        request.Validate();
        var clock = Stopwatch.StartNew();
        var torchDevice = DeviceSelector.Resolve(device);
        var tokenizer = TokenizerLoader.ForCheckpoint(source);
        var train = data.Train.Select(r => r.TrainingSequence(tokenizer)).ToList();
        var validation = data.Validation.Select(r => r.TrainingSequence(tokenizer)).ToList();
        if (validation.Count == 0) throw new ArgumentException("compression needs validation records (perplexity before and after)");
        if ((request.NeedsCalibrationOrTraining()) && train.Count == 0) throw new ArgumentException($"{request.Method.Name} needs training records (calibration or fine-tuning)");

        using var original = CheckpointStore.Load(source, torchDevice);
        var options = request.Training with { Epochs = Math.Max(1, request.FineTuneEpochs * request.Iterations) };
        var (pplBefore, verbatimBefore) = Measure(original, tokenizer, validation, data.MemorisationSample, memorisation, options, cancellationToken);

        // Structured pruning makes a new, smaller model; everything else works on the loaded one.
        GptNeoXModel? smaller = null;
        if (request.Method.Unit is { } unit)
        {
            var saliency = Saliency.Compute(original, request.Criterion!.Value, train, request.Training.ContextLength, request.Training.BatchSize, request.Training.Seed);
            var kept = StructuredPruning.Choose(original, unit, saliency, request.Sparsity);
            foreach (var tensor in saliency.Values) tensor.Dispose();
            smaller = StructuredPruning.Remove(original, unit, kept);
            progress?.Invoke($"compress: {request.Method.Name}: {kept[0].Length} of {(unit == StructuredUnit.Neurons ? original.Config.IntermediateSize : original.Config.NumAttentionHeads)} kept in each layer");
        }
        using var _ = smaller;
        var model = smaller ?? original;
        using var trainer = new LanguageModelTrainer(model, train.Count > 0 ? train : validation, options);

        var epoch = 0;
        void FineTune()
        {
            for (var e = 0; e < request.FineTuneEpochs; e++)
            {
                var result = trainer.TrainEpoch(++epoch, null, cancellationToken);
                progress?.Invoke($"compress: fine-tuning epoch {epoch}: train loss {result.TrainLoss:0.000}");
            }
        }
        if (request.Method.Criterion is { } criterion)
        {
            PruningMask? mask = null;
            for (var round = 1; round <= request.Iterations; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sparsity = request.Sparsity * round / request.Iterations;
                var saliency = Saliency.Compute(model, criterion, train, request.Training.ContextLength, request.Training.BatchSize, request.Training.Seed + round);
                if (mask is not null) // removed weights rank below every kept one, so masks only grow
                    foreach (var (name, removed) in mask.Masks)
                        using (var isRemoved = removed == 0)
                            saliency[name].masked_fill_(isRemoved, -1);
                mask?.Dispose();
                mask = PruningMask.Build(saliency, sparsity, request.Scope);
                foreach (var tensor in saliency.Values) tensor.Dispose();
                mask.Apply(model);
                progress?.Invoke($"compress: {request.Method.Name} round {round}/{request.Iterations}: {sparsity:P0} of the layers' weights removed");
                var current = mask;
                trainer.AfterOptimizerStep = () => current.Apply(model);
                FineTune();
            }
            mask?.Dispose();
        }
        else if (request.Method.Unit is not null)
            FineTune();

        var staging = destination + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var saved = CheckpointStore.Save(model, staging, new Dictionary<string, string>
        {
            ["compressed_from"] = source, ["method"] = request.Method.Name,
            ["sparsity"] = request.Method.Prunes ? request.Sparsity.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0",
        }, request.Method.Format);
        TokenizerFiles.CopyBeside(source, staging);
        if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
        Directory.Move(staging, destination);

        // Measured on what ships: the compressed checkpoint loaded back (quantisation changes the weights only on disk).
        using var shipped = CheckpointStore.Load(destination, torchDevice);
        var (pplAfter, verbatimAfter) = Measure(shipped, tokenizer, validation, data.MemorisationSample, memorisation, options, cancellationToken);
        return new CheckpointCompressionOutcome(request.Method.Name, request.Method.Prunes ? request.Sparsity : 0, destination, saved.Sha256,
            WeightBytes(source), saved.Bytes, pplBefore, pplAfter, verbatimBefore, verbatimAfter, clock.Elapsed.TotalSeconds);
    }

    private static bool NeedsCalibrationOrTraining(this CompressionRequest request) => request.NeedsCalibration || request.FineTuneEpochs > 0;

    /// <summary>Bytes of a checkpoint's model weights (model.safetensors or its shards; not a trainer's optimizer state beside them).</summary>
    public static long WeightBytes(string folder) =>
        Directory.GetFiles(folder, "model*.safetensors").Sum(f => new FileInfo(f).Length);

    private static (double Ppl, double? Verbatim) Measure(GptNeoXModel model, ITextTokenizer tokenizer, IReadOnlyList<int[]> validation,
        IReadOnlyList<TextRecord>? sample, MemorisationSettings settings, TrainingOptions options, CancellationToken cancellationToken)
    {
        using var evaluator = new LanguageModelTrainer(model, validation, options);
        return (Math.Exp(evaluator.Evaluate(validation)), Verbatim(model, tokenizer, sample, settings, cancellationToken));
    }

    private static double? Verbatim(GptNeoXModel model, ITextTokenizer tokenizer, IReadOnlyList<TextRecord>? sample, MemorisationSettings settings,
        CancellationToken cancellationToken) =>
        sample is null || sample.Count == 0 ? null
            : new MemorisationScorer(model, tokenizer, settings).Score(sample, MemorisationSide.Trained, cancellationToken).Summary.VerbatimRate;
}
