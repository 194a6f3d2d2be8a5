using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Checkpoints;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Models;
using Pipeline.Modelling.Regularisation;
using Pipeline.Modelling.Storage;
using Pipeline.Modelling.Tokenization;
using Pipeline.Modelling.Training;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Node.Bus;
using Pipeline.Node.Hosting;
using Pipeline.Node.Pretraining;
using Pipeline.Node.FineTuning.Reports;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// One run's epoch loop. After each epoch: checkpoint (atomic, only when it fits), record, then CheckpointSaved and
/// EpochCompleted; then (unless the run may run ahead) wait for the policies' verdict and obey it from the next epoch.
/// The record is saved before and after publishing, so a run killed at any point resumes without repeating an epoch or
/// its events; events are published until the broker takes them (PersistentPublisher), each under a message id fixed by
/// what it announces. The run's end is recorded first and announced after, the same way (RunRecord.OutcomePending).
/// </summary>
public sealed class FineTuneRunner(PersistentPublisher publisher, RunControl control, RunAftermath aftermath, BaseModelLocator baseModels,
    ITrainingProgressSink progressSink, EpochCheckpointWriter checkpoints, NodeIdentity node, IOptions<FineTuneOptions> options,
    ILogger<FineTuneRunner> logger)
{
    /// <param name="finishEpochThenStop">Shutdown has begun: end the run after the epoch in progress is checkpointed and announced,
    /// leaving it to resume from there (cancellationToken then cuts the epoch short, if it takes too long).</param>
    public async Task RunAsync(string runDirectory, CancellationToken cancellationToken, CancellationToken finishEpochThenStop = default)
    {
        var run = RunStore.TryLoad(runDirectory) ?? throw new InvalidOperationException($"no run record in {runDirectory}");
        var request = run.Request;
        var signals = control.For(request.RunId);
        try
        {
            if (run.Status is RunStatus.Running or RunStatus.Suspended)
            {
                try
                {
                    await TrainAsync(run, runDirectory, signals, cancellationToken, finishEpochThenStop);
                }
                catch (Exception full) when (full is CheckpointStorageFullException || StorageFull.Caused(full))
                {
                    var reason = full is CheckpointStorageFullException
                        ? full.Message
                        : $"{CheckpointStorageFullException.ReasonPrefix} {runDirectory}: {full.Message} ({StorageFull.FreeBytes(runDirectory)} bytes free)";
                    RecordEnd(run, runDirectory, RunStatus.Suspended, reason);
                    logger.LogError("Run {RunId} suspended after epoch {Epoch}: {Reason}; it resumes when StartFineTune is delivered again",
                        request.RunId, run.LastCompletedEpoch, run.FailureReason);
                }
                catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    RecordEnd(run, runDirectory, RunStatus.Failed, failure.Message);
                    logger.LogError("Run {RunId} failed after epoch {Epoch}: {Reason}", request.RunId, run.LastCompletedEpoch, run.FailureReason);
                }
            }
            if (run.OutcomePending)
                await AnnounceOutcomeAsync(run, runDirectory, cancellationToken);
        }
        finally
        {
            control.Forget(request.RunId);
        }
    }

    /// <summary>
    /// Records a run's end. On a full disk the record may not be writable: run.json then keeps its last state (Running,
    /// the earlier epochs), which resumes just as well, and the outcome is still announced.
    /// </summary>
    private void RecordEnd(RunRecord run, string runDirectory, RunStatus status, string reason)
    {
        run.Status = status;
        run.FailureReason = reason.ReplaceLineEndings(" ");
        run.OutcomePending = true;
        try
        {
            RunStore.Save(runDirectory, run);
            RunReport.Write(runDirectory, run);
        }
        catch (Exception e) when (StorageFull.Caused(e))
        {
            logger.LogError("Run {RunId}: its end could not be recorded in {RunDirectory}: {Reason}", run.Request.RunId, runDirectory, e.Message);
        }
    }

    private async Task TrainAsync(RunRecord run, string runDirectory, RunControl.RunSignals signals, CancellationToken cancellationToken,
        CancellationToken finishEpochThenStop)
    {
        var request = run.Request;
        run.Status = RunStatus.Running; // a suspended run resumes (saved with the prepared data below)
        run.FailureReason = null;
        run.Node = node.Name; // this node trains it now: the one to take it up again after a crash
        // Every input is fetched before any long work: a data set that cannot be pulled (no package lists, no client)
        // fails the run in seconds, not after the base model has been pretrained for minutes.
        await RunData.FetchAsync(request, progressSink.Message, cancellationToken);
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
        var partial = run.PartialEpoch is { } p && p.Part.Epoch == run.LastCompletedEpoch + 1 && Directory.Exists(p.Folder) ? p : null;
        if (partial is not null)
        {
            trainer.LoadState(partial.Folder);
            progressSink.Message($"resuming run {request.RunId} in epoch {partial.Part.Epoch} after step {partial.Part.StepsDone}");
        }
        else if (resumedFrom is not null)
        {
            trainer.LoadState(CheckpointFolder(runDirectory, resumedFrom.Epoch));
            progressSink.Message($"resuming run {request.RunId} after epoch {resumedFrom.Epoch}");
        }
        trainer.SetLambda(run.Lambda);

        // A crash between saving an epoch and announcing it: announce it now, once.
        foreach (var unannounced in run.Epochs.Where(e => !e.EventsPublished).OrderBy(e => e.Epoch).ToList())
            await AnnounceAsync(run, runDirectory, unannounced, cancellationToken);

        for (var epoch = run.LastCompletedEpoch + 1; epoch <= request.Epochs && run.StoppedAtEpoch is null && !finishEpochThenStop.IsCancellationRequested; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var checkpointsFolder = Path.GetDirectoryName(CheckpointFolder(runDirectory, epoch))!;
            var expectedBytes = EpochCheckpointWriter.ExpectedBytes(run.Epochs.MaxBy(e => e.Epoch)?.Checkpoint.Path, model);
            checkpoints.EnsureRoom(checkpointsFolder, epoch, expectedBytes); // before an epoch's work, not only after it
            var clock = Stopwatch.StartNew();
            // Past the stop grace (cancellationToken) the epoch pauses at its next step and is checkpointed there, not lost.
            var from = partial?.Part.Epoch == epoch ? partial.Part : null;
            var pass = await Task.Run(() => trainer.TrainEpoch(epoch, from, progressSink.Training(request.RunId, epoch, request.Epochs),
                pause: cancellationToken, CancellationToken.None));
            if (pass.Part is { } paused)
            {
                SavePartialEpoch(run, runDirectory, trainer, baseFolder, paused, expectedBytes);
                throw new OperationCanceledException(cancellationToken);
            }
            var result = pass.Result!;
            var valLoss = await Task.Run(() => trainer.Evaluate(data.ValidationSequences), cancellationToken);
            var folder = CheckpointFolder(runDirectory, epoch);
            checkpoints.EnsureRoom(checkpointsFolder, epoch, expectedBytes);
            var saved = checkpoints.Write(trainer, folder, baseFolder,
                new Dictionary<string, string> { ["run_id"] = request.RunId.ToString(), ["epoch"] = epoch.ToString() }, epoch, expectedBytes);
            var record = new EpochRecord
            {
                Epoch = epoch, TrainLoss = result.TrainLoss, RegularisationLoss = result.RegularisationLoss, ValLoss = valLoss, Lambda = trainer.Lambda, Seconds = clock.Elapsed.TotalSeconds,
                Tokens = result.Tokens, Checkpoint = new CheckpointReference(saved.Folder, saved.Sha256),
            };
            run.Epochs.Add(record);
            var finishedPart = run.PartialEpoch;
            run.PartialEpoch = null;
            RunStore.Save(runDirectory, run);
            if (finishedPart is not null && Directory.Exists(finishedPart.Folder))
                Directory.Delete(finishedPart.Folder, recursive: true); // the epoch's own checkpoint supersedes it
            progressSink.EpochDone(request.RunId, record);
            await AnnounceAsync(run, runDirectory, record, cancellationToken);
            await ObeyAsync(run, runDirectory, signals, trainer, epoch, cancellationToken);
        }

        if (run.LastCompletedEpoch < request.Epochs && run.StoppedAtEpoch is null)
        {
            // Shutdown: the run stays Running on disk, its last epoch checkpointed and announced.
            MergeMetrics(run, signals);
            RunStore.Save(runDirectory, run);
            logger.LogWarning("Run {RunId} stops for shutdown after epoch {Epoch}, checkpointed and announced; it resumes from there when StartFineTune is delivered again",
                request.RunId, run.LastCompletedEpoch);
            return;
        }
        Finish(run, runDirectory, signals);
    }

    private async Task AnnounceAsync(RunRecord run, string runDirectory, EpochRecord epoch, CancellationToken cancellationToken)
    {
        var request = run.Request;
        await publisher.PublishAsync(new CheckpointSaved(request.RunId, epoch.Epoch, epoch.Checkpoint, "epoch", DateTimeOffset.UtcNow),
            DeterministicMessageId.For(request.RunId, "checkpoint-saved/epoch", epoch.Epoch), cancellationToken);
        await publisher.PublishAsync(new EpochCompleted(request.RunId, epoch.Epoch, epoch.Checkpoint, epoch.TrainLoss, epoch.ValLoss,
            run.BaseModelPath ?? request.BaseModel, run.DatasetPath ?? request.Dataset, DateTimeOffset.UtcNow)
        {
            TrainSample = run.TrainSample,
            HeldOutSample = run.HeldOutSample,
            Lambda = epoch.Lambda,
            TuneLambda = request.TuneLambda,
        }, DeterministicMessageId.For(request.RunId, "epoch-completed", epoch.Epoch), cancellationToken);
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

    /// <summary>Training is over: the record and report say so first, then the outcome is announced (AnnounceOutcomeAsync).</summary>
    private void Finish(RunRecord run, string runDirectory, RunControl.RunSignals signals)
    {
        MergeMetrics(run, signals);
        if (run.Best is null)
            throw new InvalidOperationException("the run finished without a single epoch");
        run.Status = RunStatus.Completed;
        run.OutcomePending = true;
        RunStore.Save(runDirectory, run);
        RunReport.Write(runDirectory, run);
        MemorisationPlot.Write(runDirectory, run);
    }

    /// <summary>
    /// Publishes the recorded end of a run: the best checkpoint (for compressors) and FineTuneCompleted, or FineTuneFailed.
    /// Also called for a run whose end was recorded but not announced before the node stopped.
    /// </summary>
    private async Task AnnounceOutcomeAsync(RunRecord run, string runDirectory, CancellationToken cancellationToken)
    {
        var request = run.Request;
        if (run.Status == RunStatus.Completed)
        {
            var best = run.Best!;
            // Compressors take the best checkpoint once training is over.
            aftermath.Add(request.RunId);
            await publisher.PublishAsync(new CheckpointSaved(request.RunId, best.Epoch, best.Checkpoint, "best", DateTimeOffset.UtcNow),
                DeterministicMessageId.For(request.RunId, "checkpoint-saved/best", best.Epoch), cancellationToken);
            await publisher.PublishAsync(new FineTuneCompleted(request.RunId, run.Epochs.Count, run.StoppedAtEpoch, run.StopReason, best.Epoch,
                best.Checkpoint, Path.Combine(runDirectory, RunReport.FileName), DateTimeOffset.UtcNow),
                DeterministicMessageId.For(request.RunId, "fine-tune-completed"), cancellationToken);
            logger.LogInformation("Run {RunId} completed: {Epochs} epochs, best {Best}; report {Report}", request.RunId, run.Epochs.Count, best.Epoch,
                Path.Combine(runDirectory, RunReport.FileName));
        }
        else
        {
            // One failure event per (run, last epoch, reason): a suspended run resumed and suspended again later is a new event.
            var reason = run.FailureReason ?? "unknown failure";
            await publisher.PublishAsync(new FineTuneFailed(request.RunId, run.LastCompletedEpoch == 0 ? null : run.LastCompletedEpoch, reason, DateTimeOffset.UtcNow)
            {
                Resumable = run.Status == RunStatus.Suspended,
            }, DeterministicMessageId.For(request.RunId, "fine-tune-failed/" + reason, run.LastCompletedEpoch), cancellationToken);
        }
        run.OutcomePending = false;
        try
        {
            RunStore.Save(runDirectory, run);
        }
        catch (Exception e) when (StorageFull.Caused(e))
        {
            // Announced once more on a redelivery, under the same message id.
        }
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

    public static string PartialEpochFolder(string runDirectory, int epoch) => CheckpointFolder(runDirectory, epoch) + ".partial";

    /// <summary>
    /// The trainer state of an epoch paused at a step boundary, written beside the epochs' checkpoints (to a temporary
    /// folder first, then moved into place, so a crash meanwhile leaves the previous one or none) and named in run.json.
    /// </summary>
    private void SavePartialEpoch(RunRecord run, string runDirectory, LanguageModelTrainer trainer, string baseFolder, EpochPart part, long expectedBytes)
    {
        var request = run.Request;
        var folder = PartialEpochFolder(runDirectory, part.Epoch);
        var writing = folder + ".writing";
        if (Directory.Exists(writing))
            Directory.Delete(writing, recursive: true);
        checkpoints.Write(trainer, writing, baseFolder,
            new Dictionary<string, string> { ["run_id"] = request.RunId.ToString(), ["epoch"] = part.Epoch.ToString(), ["steps_done"] = part.StepsDone.ToString() },
            part.Epoch, expectedBytes);
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.Move(writing, folder);
        run.PartialEpoch = new PartialEpochRecord { Folder = folder, Part = part };
        RunStore.Save(runDirectory, run);
        logger.LogWarning("Run {RunId} paused for shutdown in epoch {Epoch} after step {Steps}: checkpointed there, it goes on from the next step when it resumes",
            request.RunId, part.Epoch, part.StepsDone);
    }
}
