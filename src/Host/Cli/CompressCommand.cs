using System.CommandLine;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Compression;
using Pipeline.Modelling.Compression.Filters;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Training;
using Pipeline.Modelling.Vision;
using Pipeline.Data;
using Pipeline.Data.Images;
using Pipeline.Data.Packages;
using Pipeline.Node.Torch;

namespace Pipeline.Host.Cli;

/// <summary>
/// `pipeline compress`: one checkpoint, one method. A checkpoint of a run is compressed with that run's records
/// (training records for calibration and fine-tuning, validation records for perplexity, its training sample for the
/// verbatim rate) and training settings; any other checkpoint needs --data (split 90/10 by the seed).
/// </summary>
public static class CompressCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint folder to compress.", Required = true };
        var method = new Option<string>("--method") { Description = $"{CompressionMethod.Names}: unstructured pruning by a damage estimate (stored sparse), or quantisation; for CNN (ResNet) checkpoints {string.Join("|", FilterPruningMethod.Names)}: filter pruning.", Required = true };
        var sparsity = new Option<double>("--sparsity") { Description = "Share of the layers' weights (or, for neurons and heads, of each layer's units) to remove.", DefaultValueFactory = _ => 0.5 };
        var criterion = new Option<string>("--criterion") { Description = "Damage estimate ranking neurons or heads: magnitude, random, obd or taylor.", DefaultValueFactory = _ => "magnitude" };
        var scope = new Option<string>("--scope") { Description = "global (one threshold over all layers) or layer (each matrix on its own).", DefaultValueFactory = _ => "global" };
        var fineTune = new Option<int>("--finetune-epochs") { Description = "Epochs of fine-tuning after each pruning round (0: one-shot).", DefaultValueFactory = _ => 0 };
        var iterations = new Option<int>("--iterations") { Description = "Pruning rounds, each to a larger share (iterative prune-then-fine-tune).", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = "Records for calibration, fine-tuning and perplexity when the checkpoint is not a run's (corpus name or JSONL); for a CNN, the image set (default: the one its config names)." };
        var seed = new Option<int>("--seed") { Description = "CNN methods: seed of the image splits and the agents.", DefaultValueFactory = _ => 1 };
        var cnn = new CnnCompression();
        var output = new Option<string?>("--out") { Description = "Output folder (default: beside the checkpoint, named after the method)." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var json = CommonOptions.Json();
        var command = new Command("compress",
            "Compress a checkpoint: prune the transformer layers' weights by magnitude, at random, by OBD or by Taylor saliency (optionally fine-tuning " +
            "with the mask held), remove whole MLP neurons or attention heads (a smaller model), or quantise to fp16, bf16 or int8 (per-channel); " +
            "report bytes, ratio, validation perplexity and verbatim rate before and after. A CNN (ResNet) checkpoint is filter-pruned instead: L2PF, " +
            "try-and-learn or uniform L1-norm, reporting parameter and FLOP compression, accuracy before and after, and the seconds spent.")
        {
            checkpoint, method, sparsity, criterion, scope, fineTune, iterations, data, output, device, seed, json,
        };
        foreach (var option in cnn.Options)
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(checkpoint)!);
            if (!File.Exists(Path.Combine(folder, CheckpointStore.ConfigFileName)))
                throw new UsageException($"--checkpoint {folder}: not a checkpoint folder (no config.json)");
            if (ResNetCheckpoint.IsResNet(folder))
                return await cnn.RunAsync(parse, folder, parse.GetValue(method)!, parse.GetValue(data), parse.GetValue(output), parse.GetValue(seed),
                    parse.GetValue(json), cancellationToken);
            if (FilterPruningMethod.Is(parse.GetValue(method)!))
                throw new UsageException($"--method {parse.GetValue(method)} prunes CNN filters; {folder} is not a ResNet checkpoint");
            CompressionRequest request;
            try
            {
                request = new CompressionRequest(CompressionMethod.Parse(parse.GetValue(method)!), parse.GetValue(sparsity), ParseScope(parse.GetValue(scope)!),
                    parse.GetValue(fineTune), parse.GetValue(iterations), ParseCriterion(parse.GetValue(criterion)!));
                request.Validate();
            }
            catch (ArgumentException bad)
            {
                throw new UsageException(bad.Message);
            }

            var (records, training) = await DataForAsync(folder, parse.GetValue(data), cancellationToken);
            request = request with { Training = training };
            var destination = Path.GetFullPath(parse.GetValue(output) ?? $"{folder}-{request.OutputName}");
            TorchRuntime.EnsureLoaded();
            var outcome = CheckpointCompression.Compress(folder, destination, request, records, CheckpointCompression.Memorisation,
                parse.GetValue(device)!, CliOutput.Progress, cancellationToken);

            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new
                {
                    outcome.Method, outcome.Sparsity, Source = folder, Out = outcome.Folder, outcome.SourceBytes, outcome.Bytes, outcome.Ratio,
                    outcome.ValPplBefore, outcome.ValPpl, outcome.PplChange, outcome.VerbatimRateBefore, outcome.VerbatimRate, outcome.Seconds,
                });
                return ExitCodes.Success;
            }
            Console.WriteLine($"{outcome.Method}{(request.Method.Prunes ? $" at sparsity {outcome.Sparsity:0.##}" : "")}: {outcome.Folder}");
            Console.WriteLine($"  bytes      {outcome.SourceBytes:N0} → {outcome.Bytes:N0} ({outcome.Ratio:0.00}× smaller)");
            Console.WriteLine($"  val ppl    {outcome.ValPplBefore:0.00} → {outcome.ValPpl:0.00} ({outcome.PplChange:+0.0%;-0.0%})");
            if (outcome.VerbatimRate is { } after)
                Console.WriteLine($"  verbatim   {outcome.VerbatimRateBefore:0.000} → {after:0.000}");
            Console.WriteLine($"  seconds    {outcome.Seconds:0.0}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static PruningCriterion ParseCriterion(string criterion) =>
        CompressionMethod.All.FirstOrDefault(m => m.Name == criterion && m.Criterion is not null)?.Criterion
        ?? throw new ArgumentException($"--criterion must be magnitude, random, obd or taylor, not \"{criterion}\"");

    private static PruningScope ParseScope(string scope) => scope switch
    {
        "global" => PruningScope.Global,
        "layer" => PruningScope.PerLayer,
        _ => throw new ArgumentException($"--scope must be global or layer, not \"{scope}\""),
    };

    /// <summary>The run's own records and settings when the checkpoint is one of a run's; else --data, split 90/10.</summary>
    private static async Task<(CompressionData Data, TrainingOptions Training)> DataForAsync(string folder, string? data, CancellationToken cancellationToken)
    {
        if (data is null)
            return RunCompressionInput.ForCheckpoint(folder)
                ?? throw new UsageException($"{folder} is not a checkpoint of a run that records its data (RUN/split.json two folders up): give --data");
        var resolved = File.Exists(data) ? data : await DatasetLocator.ForCurrentUser().ResolveAsync(data, p => CliOutput.Progress($"data: {p.Message}"), cancellationToken);
        var records = JsonlDataset.Read(resolved);
        var parts = DatasetSplit.Split(records, 0.1, seed: 7);
        return (new CompressionData(parts.Train, parts.Validation, DatasetSplit.Sample(parts.Train, 64, 7)), new TrainingOptions { Epochs = 1, Seed = 7 });
    }
}
