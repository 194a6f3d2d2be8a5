using System.Diagnostics;
using System.Text.Json;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Regularisation;
using Pipeline.Modelling.Tokenization;
using Pipeline.Modelling.Training;
using Pipeline.Contracts.Runs;

namespace Pipeline.Plugins.Unlearning;

/// <summary>A run's model trained again without the erased records, and what it cost.</summary>
public sealed record RetrainedRun(string Folder, string Sha256, int Epochs, double ValLoss, double Seconds);

/// <summary>
/// Fine-tunes the run's base model — which never saw the fine-tuning data — again, on the run's training records
/// without the erased ones, exactly as the run was trained (same schedule, seed, batch, context, precision,
/// regulariser and per-epoch λ), for the epochs of the checkpoint the run kept. The new version goes to
/// RUN/unlearned/VERSION/ (the request id, or the batch's name) with version.json (written under a temporary name, then renamed): a crash leaves either no version
/// or a whole one, and a whole one is not trained again.
/// </summary>
public static class RunRetraining
{
    public const string VersionFileName = "version.json";

    public static RetrainedRun Retrain(string runDirectory, RunRecord run, RunSplit split, string version, string device, int threads,
        CancellationToken cancellationToken)
    {
        var folder = Path.Combine(runDirectory, "unlearned", version);
        var versionFile = Path.Combine(folder, VersionFileName);
        if (File.Exists(versionFile)) // finished before a crash: not trained again
            return JsonSerializer.Deserialize<RetrainedRun>(File.ReadAllText(versionFile))!;
        var request = run.Request;
        var best = run.Best ?? throw new InvalidOperationException($"{runDirectory}: the run has no epoch to retrain to");
        var baseFolder = run.BaseModelPath ?? throw new InvalidOperationException($"{runDirectory}: the run record names no base model");
        var torchDevice = DeviceSelector.Resolve(device);
        var tokenizer = TokenizerLoader.ForCheckpoint(baseFolder);
        var (trainRecords, validationRecords) = split.Records(run.DatasetPath);
        var train = trainRecords.Select(r => r.TrainingSequence(tokenizer)).ToList();
        var validation = validationRecords.Select(r => r.TrainingSequence(tokenizer)).ToList();
        if (train.Count == 0)
            throw new InvalidOperationException($"{runDirectory}: no training records are left after the erasure");

        var clock = Stopwatch.StartNew();
        using var model = CheckpointStore.Load(baseFolder, torchDevice);
        using var regulariser = RegulariserChoice.For(request.Regulariser, baseFolder, torchDevice, run.Regularisation ?? new RegulariserSettings());
        var options = new TrainingOptions
        {
            Epochs = request.Epochs, // the run's whole schedule, so the learning rate at each epoch is the run's
            BatchSize = request.BatchSize,
            ContextLength = request.ContextLength,
            LearningRate = request.LearningRate,
            Seed = request.Seed,
            Precision = PrecisionChoice.Resolve(request.Precision, torchDevice),
            Threads = threads,
        };
        using var trainer = new LanguageModelTrainer(model, train, options, regulariser.LossTerm, regulariser.TargetFilter);
        foreach (var epoch in run.Epochs.Where(e => e.Epoch <= best.Epoch).OrderBy(e => e.Epoch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            trainer.SetLambda(epoch.Lambda);
            trainer.TrainEpoch(epoch.Epoch, null, cancellationToken);
        }
        var valLoss = validation.Count > 0 ? trainer.Evaluate(validation) : double.NaN;

        var staging = folder + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var saved = CheckpointStore.Save(model, staging, new Dictionary<string, string>
        {
            ["run_id"] = request.RunId.ToString(), ["epoch"] = best.Epoch.ToString(), ["unlearned_for"] = version,
        });
        TokenizerFiles.CopyBeside(baseFolder, staging);
        var retrained = new RetrainedRun(folder, saved.Sha256, best.Epoch, valLoss, clock.Elapsed.TotalSeconds);
        File.WriteAllText(Path.Combine(staging, VersionFileName), JsonSerializer.Serialize(retrained));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
        return retrained;
    }
}
