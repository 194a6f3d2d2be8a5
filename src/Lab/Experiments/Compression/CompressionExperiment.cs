using System.Diagnostics;
using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Compression;
using Pipeline.Modelling.Models;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Experiments;
using Pipeline.Lab.Experiments.MemorisationDynamics;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Pretraining;

namespace Pipeline.Lab.Experiments.Compression;

/// <summary>
/// `pipeline experiment compression`: one memorising fine-tuned model, compressed by every method — unstructured
/// pruning by magnitude, random, OBD and Taylor, and structured pruning of neurons and heads, at each sparsity (then
/// fine-tuned), and fp16 / bf16 / int8 quantisation — and, for the seed's question, the structurally pruned
/// architecture trained from random initialisation on the same data for the same epochs as the original run. Each row:
/// bytes on disk, ratio, validation perplexity and its change, verbatim rate, seconds.
/// </summary>
public sealed class CompressionExperiment(CompressionExperimentOptions options, ITrainingProgressSink sink)
{
    public async Task<CompressionReport> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var data = new ExperimentData(options.Data, sink);
        var corpus = await data.ScorableRecordsAsync(cancellationToken);
        var (trainPath, validationPath, _) = data.Write(corpus, workDirectory, "fortunes_repeated", options.Seed);
        var plugins = InProcessFineTune.PluginSelection(workDirectory, "Memorisation");
        sink.Message($"experiment: training the model to compress ({options.Epochs} epochs, repetition setting)");
        var run = await InProcessFineTune.RunAsync(Request(BaseModelLocator.LocalBase, trainPath, validationPath, workDirectory), plugins,
            options.Data.ScoringSettings(), sink, cancellationToken);
        var source = (options.Compress == "best" ? run.Best! : run.Epochs.MaxBy(e => e.Epoch)!).Checkpoint.Path;
        var (input, training) = RunCompressionInput.ForCheckpoint(source) ?? throw new InvalidOperationException($"{source}: the run recorded no data");

        var rows = new List<CompressionRow>();
        CheckpointCompressionOutcome? first = null;
        void Add(CompressionRequest request)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = request.OutputName;
            var outcome = CheckpointCompression.Compress(source, Path.Combine(workDirectory, "compressed", name), request with { Training = training },
                input, CheckpointCompression.Memorisation, "cpu", null, cancellationToken);
            first ??= outcome;
            rows.Add(Row(outcome.Method, outcome.Sparsity, outcome.Bytes, outcome.Ratio, outcome.ValPpl, outcome.PplChange, outcome.VerbatimRate, outcome.Seconds));
            sink.Message($"experiment: {name}: {outcome.Ratio:0.00}× smaller, val ppl {outcome.ValPplBefore:0.0} → {outcome.ValPpl:0.0}, " +
                         $"verbatim {outcome.VerbatimRateBefore:0.000} → {outcome.VerbatimRate:0.000}, {outcome.Seconds:0.0} s");
        }

        foreach (var format in new[] { "fp16", "bf16", "int8" })
            Add(new CompressionRequest(CompressionMethod.Parse(format)));
        foreach (var method in new[] { "magnitude", "random", "obd", "taylor", "neurons", "heads" })
            foreach (var sparsity in options.Sparsities)
                Add(new CompressionRequest(CompressionMethod.Parse(method), sparsity, FineTuneEpochs: options.FineTuneEpochs));

        var baselineBytes = CheckpointCompression.WeightBytes(source);
        foreach (var unit in new[] { "neurons", "heads" })
            rows.Add(await FromScratchAsync(unit, Path.Combine(workDirectory, "compressed", $"{unit}-s{options.FromScratchSparsity * 100:0}"),
                trainPath, validationPath, workDirectory, plugins, baselineBytes, first!.ValPplBefore, cancellationToken));

        var baseline = new CompressionBaseline(baselineBytes, Math.Round(first!.ValPplBefore, 3), first.VerbatimRateBefore, source, options.Epochs,
            options.Compress == "best" ? run.Best!.Epoch : run.LastCompletedEpoch);
        return new CompressionReport(baseline, rows, options, MachineDescription.Current(), Math.Round(clock.Elapsed.TotalSeconds, 1), workDirectory);
    }

    /// <summary>
    /// The seed's control: the architecture structured pruning left (read from its compressed checkpoint), from random
    /// initialisation, trained on the same records for the same epochs as the model it was pruned from.
    /// </summary>
    private async Task<CompressionRow> FromScratchAsync(string unit, string prunedFolder, string trainPath, string validationPath,
        string workDirectory, string plugins, long baselineBytes, double baselinePpl, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(workDirectory, "scratch", unit);
        var config = CheckpointStore.LoadConfig(prunedFolder);
        TorchSharp.torch.manual_seed(options.Seed);
        using (var model = new GptNeoXModel(config))
            CheckpointStore.Save(model, scratch);
        TokenizerFiles.CopyBeside(prunedFolder, scratch);
        sink.Message($"experiment: {unit} at sparsity {options.FromScratchSparsity}: the pruned architecture from random initialisation, {options.Epochs} epochs");
        var run = await InProcessFineTune.RunAsync(Request(scratch, trainPath, validationPath, Path.Combine(workDirectory, "scratch-runs", unit)),
            plugins, options.Data.ScoringSettings(), sink, cancellationToken);
        var last = run.Epochs.MaxBy(e => e.Epoch)!;
        var bytes = CheckpointCompression.WeightBytes(last.Checkpoint.Path);
        var ppl = Math.Exp(last.ValLoss);
        return Row($"{unit}_from_scratch", options.FromScratchSparsity, bytes, (double)baselineBytes / bytes, ppl, ppl / baselinePpl - 1,
            last.Metrics.TryGetValue("verbatim_rate", out var verbatim) ? verbatim : null, run.Epochs.Sum(e => e.Seconds));
    }

    private StartFineTune Request(string baseModel, string trainPath, string validationPath, string directory) =>
        new(Guid.NewGuid(), baseModel, trainPath, options.Epochs, options.Data.LearningRate, options.Seed, "none", 0, DateTimeOffset.UtcNow)
        {
            BatchSize = options.Data.BatchSize,
            ContextLength = options.Data.ContextLength,
            MaxRecords = int.MaxValue,
            RunsDirectory = Path.Combine(directory, "runs"),
            ValidationDataset = validationPath,
        };

    private static CompressionRow Row(string method, double sparsity, long bytes, double ratio, double ppl, double change, double? verbatim, double seconds) =>
        new(method, sparsity, bytes, Math.Round(ratio, 3), Math.Round(ppl, 3), Math.Round(change, 4), verbatim is null ? null : Math.Round(verbatim.Value, 4),
            Math.Round(seconds, 2));
}
