using Pipeline.Contracts.Runs;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;

namespace Pipeline.Plugins.Unlearning;

/// <summary>
/// Forgets a subject in the fine-tuning runs (EUPG's recipe with the pretrained base as the model that never saw the
/// raw data): finds the subject's records in the data sets of the completed runs, erases them (tombstones, then the
/// file rewritten without them; the runs' scoring samples and split files too), fine-tunes each affected run's base
/// model again on its retained records for the epochs of the checkpoint it kept, verifies on the forgotten records
/// against held-out ones, and deletes the superseded checkpoints (which memorised them). Every step is resumable:
/// the plan is written before anything is erased, and a finished model version is not trained again.
/// Settings (Plugins:Settings:run-forgetter): RunsDirectory, Device, Threads, HeldOutRecords, PrefixTokens,
/// SuffixTokens, MiaMinimumRecords, MiaMaximumAuc, NgramTolerance, KeepSupersededCheckpoints.
/// </summary>
public sealed class RunForgetter : IBatchForgetter, IConfigurablePlugin<RunForgetterSettings>
{
    public const string NoRecordsHeld = "no records held";

    private string _runsDirectory = "runs";
    private string _device = "cpu";
    private int _threads;
    private int _heldOutRecords = 64;
    private MemorisationSettings _memorisation = new() { PrefixTokens = 16, SuffixTokens = 16 };
    private int _miaMinimumRecords = 10;
    private double _miaMaximumAuc = 0.55;
    private double _ngramTolerance = 0.1;
    private bool _keepSuperseded;

    public string Name => "run-forgetter";

    public void Configure(RunForgetterSettings settings)
    {
        var memorisation = new MemorisationSettings { PrefixTokens = settings.PrefixTokens, SuffixTokens = settings.SuffixTokens };
        memorisation.Validate();
        (_runsDirectory, _device, _threads, _heldOutRecords, _memorisation) =
            (settings.RunsDirectory, settings.Device, settings.Threads, settings.HeldOutRecords, memorisation);
        (_miaMinimumRecords, _miaMaximumAuc, _ngramTolerance, _keepSuperseded) =
            (settings.MiaMinimumRecords, settings.MiaMaximumAuc, settings.NgramTolerance, settings.KeepSupersededCheckpoints);
    }

    public async Task<ForgettingOutcome> ForgetAsync(ErasureJob job, IProgress<ErasureStage> progress, CancellationToken cancellationToken) =>
        (await ForgetBatchAsync([job], progress, cancellationToken))[0];

    /// <summary>Several subjects at once: one erasure of all their records, one retraining of each run that held any of them.</summary>
    public Task<IReadOnlyList<ForgettingOutcome>> ForgetBatchAsync(IReadOnlyList<ErasureJob> jobs, IProgress<ErasureStage> progress,
        CancellationToken cancellationToken) =>
        Task.Run(() => Forget(jobs, progress, cancellationToken), cancellationToken);

    private IReadOnlyList<ForgettingOutcome> Forget(IReadOnlyList<ErasureJob> jobs, IProgress<ErasureStage> progress, CancellationToken cancellationToken)
    {
        var runs = Path.GetFullPath(_runsDirectory);
        var plans = jobs.Select(job => ErasurePlan.TryLoad(runs, job.RequestId) ?? SubjectSearch.Plan(job, runs)).ToList();
        var held = plans.Where(p => p.Records.Count > 0).ToList();
        if (held.Count == 0)
            return jobs.Select(_ => NothingHeld()).ToList();
        foreach (var plan in held)
            plan.Save(runs);

        foreach (var plan in held)
            EraseData(plan);
        progress.Report(ErasureStage.DataRemoved);

        // One retraining per run, without every subject of the batch; the version is named after the whole batch, so a
        // batch made up differently after a crash never reuses a model that still holds one of its subjects.
        var version = VersionName(held.Select(p => p.RequestId));
        var retrained = new Dictionary<string, (RunRecord View, RetrainedRun Model, RunSplit Split)>(StringComparer.Ordinal);
        foreach (var directory in held.SelectMany(p => p.Runs).Where(r => r.TrainedIds.Count > 0).Select(r => r.RunDirectory).Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var view = RunFile.TryLoad(directory) ?? throw new InvalidOperationException($"{directory}: the run record is gone");
            var split = RunSplit.TryLoad(directory) ?? throw new InvalidOperationException(
                $"{directory}: the run has no {RunSplit.FileName} (it predates erasure support); retrain it without the subject by hand");
            retrained[directory] = (view, RunRetraining.Retrain(directory, view, split, version, _device, Threads, cancellationToken), split);
        }
        progress.Report(ErasureStage.ModelUnlearned);

        var outcomes = plans.Select(plan => plan.Records.Count == 0 ? NothingHeld() : Verify(plan, retrained, jobs.Count, cancellationToken)).ToList();
        // A stage is the whole batch's: Verified only when every subject's forgetting verified.
        if (outcomes.All(o => o.Forgotten))
            progress.Report(ErasureStage.Verified);

        if (!_keepSuperseded)
            foreach (var directory in retrained.Keys.Where(d => Directory.Exists(Path.Combine(d, "checkpoints"))))
                Directory.Delete(Path.Combine(directory, "checkpoints"), recursive: true);
        foreach (var plan in held)
            ErasurePlan.Delete(runs, plan.RequestId);
        return outcomes;
    }

    private static ForgettingOutcome NothingHeld() =>
        ForgettingOutcome.Done(new Dictionary<string, double> { ["records_found"] = 0, ["runs_retrained"] = 0 }, NoRecordsHeld);

    /// <summary>One subject's evidence: its forgotten records against held-out ones, on each new model (and the one it replaces).</summary>
    private ForgettingOutcome Verify(ErasurePlan plan, Dictionary<string, (RunRecord View, RetrainedRun Model, RunSplit Split)> retrained, int batchSize,
        CancellationToken cancellationToken)
    {
        var evidence = new Dictionary<string, double>
        {
            ["records_found"] = plan.Records.Count,
            ["records_forgotten"] = plan.Runs.SelectMany(r => r.TrainedIds).Distinct().Count(),
            ["runs_retrained"] = plan.Runs.Count(r => r.TrainedIds.Count > 0),
            ["batch_size"] = batchSize,
        };
        var failures = new List<string>();
        var models = new List<UnlearnedModel>();
        foreach (var run in plan.Runs.Where(r => r.TrainedIds.Count > 0))
        {
            var (view, model, split) = retrained[run.RunDirectory];
            var forgotten = plan.Records.Where(r => run.TrainedIds.Contains(r.Id)).ToList();
            var heldOut = HeldOut(view, split);
            var subjectHeldOut = plan.Records.Where(r => run.HeldOutIds.Contains(r.Id)).ToList();
            var after = ForgettingCheck.Measure(model.Folder, forgotten, heldOut, subjectHeldOut, _memorisation, _ngramTolerance, view.Request.ContextLength, _device, cancellationToken);
            var superseded = view.Best?.Checkpoint?.Path;
            var before = superseded is not null && Directory.Exists(superseded)
                ? ForgettingCheck.Measure(superseded, forgotten, heldOut, subjectHeldOut, _memorisation, _ngramTolerance, view.Request.ContextLength, _device, cancellationToken)
                : null;
            Add(evidence, after, before, model, view);
            models.Add(new UnlearnedModel(view.Request.RunId, model.Epochs, new CheckpointReference(model.Folder, model.Sha256)));
            if (after.AboveHeldOut > 0)
                failures.Add($"{after.AboveHeldOut} forgotten records still score above the held-out level in run {view.Request.RunId}");
            if (after.Forgotten >= _miaMinimumRecords && after.MiaAuc > _miaMaximumAuc)
                failures.Add($"membership AUC {after.MiaAuc:0.000} on the forgotten records exceeds {_miaMaximumAuc} in run {view.Request.RunId}");
        }
        if (failures.Count > 0)
            return ForgettingOutcome.Refused("verification failed: " + string.Join("; ", failures));
        var summary = $"{evidence["records_forgotten"]} trained-on records of {plan.Records.Count} found forgotten; {models.Count} run(s) retrained" +
                      (batchSize > 1 ? $" in a batch of {batchSize} requests" : "");
        return ForgettingOutcome.Done(evidence, summary) with { Models = models };
    }

    private static string VersionName(IEnumerable<Guid> requestIds)
    {
        var ids = requestIds.Order().ToList();
        return ids.Count == 1
            ? ids[0].ToString("D")
            : "batch-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join(",", ids))))[..16];
    }

    private int Threads => _threads > 0 ? _threads : Environment.ProcessorCount;

    /// <summary>Tombstones and removes the records from each data set, and from every file of the runs that holds records or their ids.</summary>
    private static void EraseData(ErasurePlan plan)
    {
        foreach (var dataset in plan.Datasets)
            DatasetErasure.Erase(dataset.Path, dataset.Ids);
        var ids = plan.Records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var run in plan.Runs)
        {
            RunSplit.TryLoad(run.RunDirectory)?.Without(ids).Save(run.RunDirectory);
            foreach (var sample in new[] { "sample-train.jsonl", "sample-heldout.jsonl" }.Select(f => Path.Combine(run.RunDirectory, f)).Where(File.Exists))
                DatasetErasure.Erase(sample, ids);
            if (Directory.Exists(Path.Combine(run.RunDirectory, "checkpoints")))
                foreach (var scores in Directory.GetFiles(Path.Combine(run.RunDirectory, "checkpoints"), MemorisationScorer.RecordsFileName, SearchOption.AllDirectories))
                    MemorisationScorer.WriteRecords(scores, MemorisationScorer.ReadRecords(scores).Where(r => !ids.Contains(r.Id)).ToList());
        }
    }

    /// <summary>Up to HeldOutRecords of the run's validation records: never trained on, by this model or the old one.</summary>
    private List<TextRecord> HeldOut(RunRecord view, RunSplit split)
    {
        var (_, validation) = split.Records(view.DatasetPath);
        return DatasetSplit.Sample(validation, _heldOutRecords, view.Request.Seed).ToList();
    }

    private static void Add(Dictionary<string, double> evidence, ForgettingFigures after, ForgettingFigures? before, RetrainedRun model, RunRecord view)
    {
        // One run is the usual case; with several, the worst run's figures are kept.
        void Max(string key, double value)
        {
            if (double.IsNaN(value)) return;
            evidence[key] = evidence.TryGetValue(key, out var current) ? Math.Max(current, value) : value;
        }
        Max("forgotten_verbatim_rate", after.ForgottenVerbatimRate);
        Max("heldout_verbatim_rate", after.HeldOutVerbatimRate);
        Max("forgotten_ngram_score", after.ForgottenNgramScore);
        Max("heldout_ngram_score", after.HeldOutNgramScore);
        Max("records_above_heldout", after.AboveHeldOut);
        Max("records_scored", after.Scored);
        Max("mia_auc", after.MiaAuc);
        Max("mia_auc_same_subject", after.MiaAucSameSubject);
        Max("mia_members", after.Forgotten);
        Max("mia_nonmembers", after.HeldOut);
        if (before is not null)
        {
            Max("forgotten_verbatim_rate_before", before.ForgottenVerbatimRate);
            Max("forgotten_ngram_score_before", before.ForgottenNgramScore);
            Max("mia_auc_before", before.MiaAuc);
            Max("mia_auc_same_subject_before", before.MiaAucSameSubject);
        }
        Max("retraining_seconds", model.Seconds);
        Max("original_training_seconds", view.Epochs.Sum(e => e.Seconds));
        Max("val_ppl", Math.Exp(model.ValLoss));
        if (view.Best is { } best) Max("original_val_ppl", Math.Exp(best.ValLoss));
        Max("epochs_retrained", model.Epochs);
        Max("original_epochs", view.Epochs.Count);
    }
}
