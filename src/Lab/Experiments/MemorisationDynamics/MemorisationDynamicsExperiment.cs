using Pipeline.Contracts.Messages;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Memorisation;
using Pipeline.Data.Corpora;
using Pipeline.Data.Packages;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Experiments;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Pretraining;
using Pipeline.Contracts.Runs;

namespace Pipeline.Lab.Experiments.MemorisationDynamics;

/// <summary>
/// `pipeline experiment memorisation-dynamics`: fine-tune the base model well past its best validation loss on a
/// small memorisation-prone set (and on the same set with some records repeated), scoring memorisation every epoch
/// through the real Memorisation plugin, for several seeds; then read the seed's three findings off each run.
/// No stopping policy is installed: the n-gram rule is replayed on the recorded history, so all three stopping
/// strategies are compared on the same runs.
/// </summary>
public sealed class MemorisationDynamicsExperiment(MemorisationDynamicsOptions options, ITrainingProgressSink sink)
{
    public static readonly string[] Settings = ["fortunes", "fortunes_repeated"];

    /// <summary>Trains every setting and seed into workDirectory, then analyses the runs.</summary>
    public async Task<Dictionary<string, object?>> RunAsync(string workDirectory, NgramEarlyStoppingRule rule, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plugins = InProcessFineTune.PluginSelection(workDirectory, "Memorisation");
        var data = new ExperimentData(options, sink);
        var corpus = await data.ScorableRecordsAsync(cancellationToken);

        foreach (var setting in Settings)
        {
            for (var seed = 1; seed <= options.Seeds; seed++)
            {
                sink.Message($"experiment: {setting}, seed {seed}/{options.Seeds}");
                var (trainPath, validationPath, _) = data.Write(corpus, workDirectory, setting, seed);
                var request = new StartFineTune(Guid.NewGuid(), BaseModelLocator.LocalBase, trainPath, options.Epochs, options.LearningRate, seed,
                    "none", 0, DateTimeOffset.UtcNow)
                {
                    BatchSize = options.BatchSize,
                    ContextLength = options.ContextLength,
                    MaxRecords = int.MaxValue,
                    RunsDirectory = Path.Combine(workDirectory, "runs"),
                    ValidationDataset = validationPath,
                };
                await InProcessFineTune.RunAsync(request, plugins, options.ScoringSettings(), sink, cancellationToken);
            }
        }

        var report = Analyse(workDirectory, rule);
        report["settings"] = options;
        report["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        return report;
    }

    /// <summary>
    /// Reads the findings off the runs in workDirectory (also of an earlier experiment: `--from DIR`), with the given
    /// stopping rule replayed — how the rule's defaults were chosen without training again.
    /// </summary>
    public static Dictionary<string, object?> Analyse(string workDirectory, NgramEarlyStoppingRule rule)
    {
        var results = Settings.ToDictionary(s => s, _ => new List<(RunRecord Run, RunFindings Findings)>());
        var runsDirectory = Path.Combine(workDirectory, "runs");
        if (!Directory.Exists(runsDirectory))
            throw new DirectoryNotFoundException($"no runs in {workDirectory}");
        foreach (var runDirectory in Directory.EnumerateDirectories(runsDirectory))
        {
            if (RunStore.TryLoad(runDirectory) is not { Status: RunStatus.Completed } run)
                continue;
            var setting = Path.GetFileName(Path.GetDirectoryName(run.Request.Dataset)!).Split("-seed")[0];
            if (!results.TryGetValue(setting, out var list))
                continue;
            // Repeated records are the ones with copies: "id" and "id~k".
            var ids = JsonlDataset.Read(run.Request.Dataset).Select(r => r.Id).ToList();
            var copied = ids.Where(id => id.Contains('~')).Select(id => id.Split('~')[0]).ToHashSet();
            var repeated = ids.Where(id => copied.Contains(id.Split('~')[0])).ToHashSet();
            list.Add((run, DynamicsAnalysis.Analyse(run, TrainSideRecords(run), rule, repeated)));
        }
        if (results.Values.Any(r => r.Count == 0))
            throw new InvalidOperationException($"{workDirectory} lacks finished runs of every setting ({string.Join(", ", Settings)})");

        var report = Summarise(results[Settings[0]]);
        report["repetition"] = Summarise(results[Settings[1]]);
        report["stopping_rule"] = new { delta = rule.Delta, threshold = rule.Threshold, patience = rule.Patience };
        report["machine"] = MachineDescription.Current();
        report["work_directory"] = workDirectory;
        return report;
    }

    internal static IReadOnlyDictionary<int, IReadOnlyList<ScoredRecord>> TrainSideRecords(RunRecord run) =>
        run.Epochs.ToDictionary(e => e.Epoch, e =>
        {
            var path = Path.Combine(e.Checkpoint.Path, "memorisation.jsonl");
            return (IReadOnlyList<ScoredRecord>)(File.Exists(path) ? MemorisationScorer.ReadRecords(path).Where(r => r.Side == MemorisationSide.Trained).ToList() : []);
        });

    private static Dictionary<string, object?> Summarise(List<(RunRecord Run, RunFindings Findings)> runs)
    {
        runs = runs.OrderBy(r => r.Run.Request.Seed).ToList();
        var epochCount = runs.Min(r => r.Run.Epochs.Count);
        var epochs = new List<Dictionary<string, object?>>();
        for (var epoch = 1; epoch <= epochCount; epoch++)
        {
            var at = runs.Select(r => r.Run.Epochs.Single(e => e.Epoch == epoch)).ToList();
            var row = new Dictionary<string, object?> { ["epoch"] = epoch };
            SeedStatistics.Put(row, "val_ppl", at.Select(e => (double?)Math.Exp(e.ValLoss)));
            SeedStatistics.Put(row, "train_loss", at.Select(e => (double?)e.TrainLoss));
            foreach (var metric in new[] { "verbatim_rate", "verbatim_rate_heldout", "ngram_score", "ngram_score_heldout", "token_match", "token_match_heldout" })
                SeedStatistics.Put(row, metric, at.Select(e => e.Metrics.TryGetValue(metric, out var v) ? (double?)v : null));
            epochs.Add(row);
        }

        var f = runs.Select(r => r.Findings).ToList();
        var findings = new Dictionary<string, object?>();
        SeedStatistics.Put(findings, "memorisation_rise_epoch", f.Select(x => (double?)x.MemorisationRiseEpoch));
        SeedStatistics.Put(findings, "best_val_ppl_epoch", f.Select(x => (double?)x.BestValPplEpoch));
        SeedStatistics.Put(findings, "ngram_rise_epoch", f.Select(x => (double?)x.NgramRiseEpoch));
        SeedStatistics.Put(findings, "ngram_lead_epochs", f.Select(x => x.NgramLeadEpochs));
        SeedStatistics.Put(findings, "per_record_ngram_lead_epochs", f.Select(x => x.PerRecordNgramLeadEpochs));
        SeedStatistics.Put(findings, "records_memorised", f.Select(x => (double?)x.RecordsMemorised));
        SeedStatistics.Put(findings, "scoring_share_of_training", f.Select(x => (double?)x.ScoringShareOfTraining));
        findings["runs_where_memorisation_rose"] = f.Count(x => x.MemorisationRiseEpoch is not null);
        findings["runs_where_memorisation_rose_before_best_val_ppl"] = f.Count(x => x.MemorisationRiseEpoch < x.BestValPplEpoch);
        var ngramRule = Stop(f.Select(x => x.NgramRule));
        SeedStatistics.Put(ngramRule, "fired_at_epoch", f.Select(x => (double?)x.NgramRuleFiredAt));
        SeedStatistics.Put(ngramRule, "verbatim_rate_when_fired", f.Select(x => x.VerbatimRateWhenFired));
        ngramRule["runs_fired"] = f.Count(x => x.NgramRuleFiredAt is not null);
        findings["stopping"] = new Dictionary<string, object?>
        {
            ["ngram_rule"] = ngramRule,
            ["best_val_loss"] = Stop(f.Select(x => x.BestValLoss)),
            ["last_epoch"] = Stop(f.Select(x => x.LastEpoch)),
        };
        findings["ngram_rule_reasons"] = f.Select(x => x.NgramRuleReason).ToList();
        if (f.Any(x => x.RepeatedVerbatimAtRise is not null))
        {
            SeedStatistics.Put(findings, "repeated_verbatim_at_rise", f.Select(x => x.RepeatedVerbatimAtRise));
            SeedStatistics.Put(findings, "unique_verbatim_at_rise", f.Select(x => x.UniqueVerbatimAtRise));
        }
        return new Dictionary<string, object?> { ["epochs"] = epochs, ["findings"] = findings };
    }

    private static Dictionary<string, object?> Stop(IEnumerable<StopOutcome> outcomes)
    {
        var list = outcomes.ToList();
        var result = new Dictionary<string, object?>();
        SeedStatistics.Put(result, "epoch", list.Select(o => (double?)o.Epoch));
        SeedStatistics.Put(result, "verbatim_rate", list.Select(o => (double?)o.VerbatimRate));
        SeedStatistics.Put(result, "val_ppl", list.Select(o => (double?)o.ValPpl));
        return result;
    }
}
