using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Pretraining;
using Pipeline.Host.Reports;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Regularisation;
using Pipeline.Modelling.Tokenization;
using Pipeline.Modelling.Training;

namespace Pipeline.Host.FineTuning;

/// <summary>
/// One run's epoch loop. After each epoch: checkpoint (atomic), record, then CheckpointSaved and EpochCompleted; then
/// (unless the run may run ahead) wait for the policies' verdict and obey it from the next epoch. The record is saved
/// before and after publishing, so a run killed at any point resumes without repeating an epoch or its events.
/// </summary>
public sealed class FineTuneRunner(IBus bus, RunControl control, RunAftermath aftermath, BaseModelLocator baseModels, ITrainingProgressSink progressSink,
    IOptions<FineTuneOptions> options, ILogger<FineTuneRunner> logger)
{
    public async Task RunAsync(string runDirectory, CancellationToken cancellationToken)
    {
        var run = RunStore.TryLoad(runDirectory) ?? throw new InvalidOperationException($"no run record in {runDirectory}");
        var request = run.Request;
        var signals = control.For(request.RunId);
        try
        {
            await TrainAsync(run, runDirectory, signals, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            run.Status = RunStatus.Failed;
            run.FailureReason = failure.Message.ReplaceLineEndings(" ");
            RunStore.Save(runDirectory, run);
            RunReport.Write(runDirectory, run);
            logger.LogError("Run {RunId} failed after epoch {Epoch}: {Reason}", request.RunId, run.LastCompletedEpoch, run.FailureReason);
            await bus.Publish(new FineTuneFailed(request.RunId, run.LastCompletedEpoch == 0 ? null : run.LastCompletedEpoch, run.FailureReason,
                DateTimeOffset.UtcNow), CancellationToken.None);
        }
        finally
        {
            control.Forget(request.RunId);
        }
    }

    private async Task TrainAsync(RunRecord run, string runDirectory, RunControl.RunSignals signals, CancellationToken cancellationToken)
    {
        var request = run.Request;
        var baseFolder = await baseModels.ResolveAsync(request.BaseModel, progressSink.Message, cancellationToken);
        run.BaseModelPath = baseFolder;
        var tokenizer = TokenizerLoader.ForCheckpoint(baseFolder);
        var data = await RunData.PrepareAsync(request, tokenizer, options.Value.ValidationFraction, progressSink.Message, cancellationToken);
        run.DatasetPath = data.DatasetPath;
        run.TrainRecords = data.Train.Count;
        run.ValidationRecords = data.Validation.Count;
        run.Regularisation = options.Value.RegulariserSettings;
        (run.TrainSample, run.HeldOutSample) = data.WriteScoringSamples(runDirectory, options.Value.ScoringSampleSize, request.Seed);
        if (RunSplit.TryLoad(runDirectory) is null)
            (RunSplit.Of(new DatasetSplitResult(data.Train, data.Validation)) with
            {
                DatasetPath = data.DatasetPath, ValidationDatasetPath = data.ValidationDatasetPath, TrainSample = run.TrainSample,
                BatchSize = request.BatchSize, ContextLength = request.ContextLength, LearningRate = request.LearningRate, Seed = request.Seed,
            }).Save(runDirectory);
        RunStore.Save(runDirectory, run);

        var device = DeviceSelector.Resolve(options.Value.Device ?? "auto");
        using var model = CheckpointStore.Load(baseFolder, device);
        using var regulariser = RegulariserChoice.For(request.Regulariser, baseFolder, device, options.Value.RegulariserSettings);
        using var trainer = new LanguageModelTrainer(model, data.TrainSequences, TrainingOptionsFor(request, device),
            regulariser.LossTerm, regulariser.TargetFilter);
        var resumedFrom = run.Epochs.MaxBy(e => e.Epoch);
        if (resumedFrom is not null)
        {
            trainer.LoadState(CheckpointFolder(runDirectory, resumedFrom.Epoch));
            progressSink.Message($"resuming run {request.RunId} after epoch {resumedFrom.Epoch}");
        }
        trainer.SetLambda(run.Lambda);

        // A crash between saving an epoch and announcing it: announce it now, once.
        foreach (var unannounced in run.Epochs.Where(e => !e.EventsPublished).OrderBy(e => e.Epoch).ToList())
            await AnnounceAsync(run, runDirectory, unannounced, cancellationToken);

        for (var epoch = run.LastCompletedEpoch + 1; epoch <= request.Epochs && run.StoppedAtEpoch is null; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var result = await Task.Run(() => trainer.TrainEpoch(epoch, progressSink.Training(request.RunId, epoch, request.Epochs), cancellationToken), cancellationToken);
            var valLoss = await Task.Run(() => trainer.Evaluate(data.ValidationSequences), cancellationToken);
            var folder = CheckpointFolder(runDirectory, epoch);
            var saved = trainer.SaveState(folder, new Dictionary<string, string> { ["run_id"] = request.RunId.ToString(), ["epoch"] = epoch.ToString() });
            TokenizerFiles.CopyBeside(baseFolder, folder);
            var record = new EpochRecord
            {
                Epoch = epoch, TrainLoss = result.TrainLoss, RegularisationLoss = result.RegularisationLoss, ValLoss = valLoss, Lambda = trainer.Lambda, Seconds = clock.Elapsed.TotalSeconds,
                Tokens = result.Tokens, Checkpoint = new CheckpointReference(saved.Folder, saved.Sha256),
            };
            run.Epochs.Add(record);
            RunStore.Save(runDirectory, run);
            progressSink.EpochDone(request.RunId, record);
            await AnnounceAsync(run, runDirectory, record, cancellationToken);
            await ObeyAsync(run, runDirectory, signals, trainer, epoch, cancellationToken);
        }

        await FinishAsync(run, runDirectory, signals, cancellationToken);
    }

    private async Task AnnounceAsync(RunRecord run, string runDirectory, EpochRecord epoch, CancellationToken cancellationToken)
    {
        var request = run.Request;
        await bus.Publish(new CheckpointSaved(request.RunId, epoch.Epoch, epoch.Checkpoint, "epoch", DateTimeOffset.UtcNow), cancellationToken);
        await bus.Publish(new EpochCompleted(request.RunId, epoch.Epoch, epoch.Checkpoint, epoch.TrainLoss, epoch.ValLoss,
            run.BaseModelPath ?? request.BaseModel, run.DatasetPath ?? request.Dataset, DateTimeOffset.UtcNow)
        {
            TrainSample = run.TrainSample,
            HeldOutSample = run.HeldOutSample,
            Lambda = epoch.Lambda,
            TuneLambda = request.TuneLambda,
        }, cancellationToken);
        epoch.EventsPublished = true;
        RunStore.Save(runDirectory, run);
    }

    /// <summary>Applies the policies' verdict (or manual commands) on the epoch boundary.</summary>
    private async Task ObeyAsync(RunRecord run, string runDirectory, RunControl.RunSignals signals, LanguageModelTrainer trainer, int epoch,
        CancellationToken cancellationToken)
    {
        if (!run.Request.RunAhead)
        {
            var timeout = TimeSpan.FromSeconds(options.Value.VerdictTimeoutSeconds);
            try
            {
                var verdict = await signals.Verdict(epoch).WaitAsync(timeout, cancellationToken);
                if (verdict.Stop)
                    signals.StopRequested ??= verdict.StopReason;
                if (verdict.Lambda is { } lambda)
                    signals.LambdaRequested = lambda;
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Run {RunId}: no verdict on epoch {Epoch} within {Timeout}; going on", run.Request.RunId, epoch, timeout);
            }
        }

        if (signals.StopRequested is { } reason)
        {
            run.StoppedAtEpoch = epoch;
            run.StopReason = reason;
            progressSink.Message($"stopping after epoch {epoch}: {reason}");
        }
        if (signals.LambdaRequested is { } newLambda && Math.Abs(newLambda - trainer.Lambda) > 0)
        {
            trainer.SetLambda(newLambda);
            run.Lambda = newLambda;
            progressSink.Message($"lambda {newLambda:0.####} from epoch {epoch + 1}");
        }
        MergeMetrics(run, signals);
        RunStore.Save(runDirectory, run);
    }

    private async Task FinishAsync(RunRecord run, string runDirectory, RunControl.RunSignals signals, CancellationToken cancellationToken)
    {
        var request = run.Request;
        MergeMetrics(run, signals);
        run.Status = RunStatus.Completed;
        RunStore.Save(runDirectory, run);
        var reportPath = RunReport.Write(runDirectory, run);
        MemorisationPlot.Write(runDirectory, run);
        var best = run.Best ?? throw new InvalidOperationException("the run finished without a single epoch");
        // Compressors take the best checkpoint once training is over.
        aftermath.Add(request.RunId);
        await bus.Publish(new CheckpointSaved(request.RunId, best.Epoch, best.Checkpoint, "best", DateTimeOffset.UtcNow), cancellationToken);
        await bus.Publish(new FineTuneCompleted(request.RunId, run.Epochs.Count, run.StoppedAtEpoch, run.StopReason, best.Epoch, best.Checkpoint,
            reportPath, DateTimeOffset.UtcNow), cancellationToken);
        logger.LogInformation("Run {RunId} completed: {Epochs} epochs, best {Best}; report {Report}", request.RunId, run.Epochs.Count, best.Epoch, reportPath);
    }

    private static void MergeMetrics(RunRecord run, RunControl.RunSignals signals)
    {
        // Compressions of this run's checkpoints that came in while it trained (this worker owns run.json until it ends).
        while (signals.Compressed.TryDequeue(out var compressed))
            if (run.Compressed.All(c => c.Path != compressed.Compressed.Path))
                run.Compressed.Add(CompressedRecord.Of(compressed));
        foreach (var epoch in run.Epochs)
        {
            if (signals.Metrics.TryGetValue(epoch.Epoch, out var metrics))
                foreach (var (name, value) in metrics)
                    epoch.Metrics[name] = value;
        }
        foreach (var (name, label) in signals.MetricLabels)
            run.MetricLabels[name] = label;
    }

    private TrainingOptions TrainingOptionsFor(StartFineTune request, TorchSharp.torch.Device device) => new()
    {
        Epochs = request.Epochs,
        BatchSize = request.BatchSize,
        ContextLength = request.ContextLength,
        LearningRate = request.LearningRate,
        Seed = request.Seed,
        Precision = PrecisionChoice.Resolve(request.Precision, device),
        Threads = options.Value.Threads > 0 ? options.Value.Threads : Environment.ProcessorCount,
    };

    public static string CheckpointFolder(string runDirectory, int epoch) => Path.Combine(runDirectory, "checkpoints", $"epoch-{epoch}");
}
