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
    public async Task<MemorisationDynamicsReport> RunAsync(string workDirectory, NgramEarlyStoppingRule rule, CancellationToken cancellationToken)
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

        return Analyse(workDirectory, rule) with { Settings = options, Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) };
    }

    /// <summary>
    /// Reads the findings off the runs in workDirectory (also of an earlier experiment: `--from DIR`), with the given
    /// stopping rule replayed — how the rule's defaults were chosen without training again.
    /// </summary>
    public static MemorisationDynamicsReport Analyse(string workDirectory, NgramEarlyStoppingRule rule)
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

        var plain = Summarise(results[Settings[0]]);
        return new MemorisationDynamicsReport(plain.Epochs, plain.Findings, Summarise(results[Settings[1]]),
            new DynamicsStoppingRule(rule.Delta, rule.Threshold, rule.Patience), MachineDescription.Current(), workDirectory);
    }

    internal static IReadOnlyDictionary<int, IReadOnlyList<ScoredRecord>> TrainSideRecords(RunRecord run) =>
        run.Epochs.ToDictionary(e => e.Epoch, e =>
        {
            var path = Path.Combine(e.Checkpoint.Path, "memorisation.jsonl");
            return (IReadOnlyList<ScoredRecord>)(File.Exists(path) ? MemorisationScorer.ReadRecords(path).Where(r => r.Side == MemorisationSide.Trained).ToList() : []);
        });

    private static DynamicsSettingReport Summarise(List<(RunRecord Run, RunFindings Findings)> runs)
    {
        runs = runs.OrderBy(r => r.Run.Request.Seed).ToList();
        var epochCount = runs.Min(r => r.Run.Epochs.Count);
        var epochs = new List<DynamicsEpochFigures>();
        for (var epoch = 1; epoch <= epochCount; epoch++)
        {
            var at = runs.Select(r => r.Run.Epochs.Single(e => e.Epoch == epoch)).ToList();
            (double? Mean, double? Sd) Metric(string name) => SeedStatistics.Rounded(at.Select(e => e.Metrics.TryGetValue(name, out var v) ? (double?)v : null));
            var ppl = SeedStatistics.Rounded(at.Select(e => (double?)Math.Exp(e.ValLoss)));
            var loss = SeedStatistics.Rounded(at.Select(e => (double?)e.TrainLoss));
            var (verbatim, verbatimHeldout) = (Metric("verbatim_rate"), Metric("verbatim_rate_heldout"));
            var (ngram, ngramHeldout) = (Metric("ngram_score"), Metric("ngram_score_heldout"));
            var (tokens, tokensHeldout) = (Metric("token_match"), Metric("token_match_heldout"));
            epochs.Add(new DynamicsEpochFigures(epoch, ppl.Mean, ppl.Sd, loss.Mean, loss.Sd, verbatim.Mean, verbatim.Sd, verbatimHeldout.Mean,
                verbatimHeldout.Sd, ngram.Mean, ngram.Sd, ngramHeldout.Mean, ngramHeldout.Sd, tokens.Mean, tokens.Sd, tokensHeldout.Mean, tokensHeldout.Sd));
        }

        var f = runs.Select(r => r.Findings).ToList();
        var rise = SeedStatistics.Rounded(f.Select(x => (double?)x.MemorisationRiseEpoch));
        var best = SeedStatistics.Rounded(f.Select(x => (double?)x.BestValPplEpoch));
        var ngramRise = SeedStatistics.Rounded(f.Select(x => (double?)x.NgramRiseEpoch));
        var lead = SeedStatistics.Rounded(f.Select(x => x.NgramLeadEpochs));
        var recordLead = SeedStatistics.Rounded(f.Select(x => x.PerRecordNgramLeadEpochs));
        var memorised = SeedStatistics.Rounded(f.Select(x => (double?)x.RecordsMemorised));
        var scoring = SeedStatistics.Rounded(f.Select(x => (double?)x.ScoringShareOfTraining));
        var ruleKeep = Stop(f.Select(x => x.NgramRule));
        var fired = SeedStatistics.Rounded(f.Select(x => (double?)x.NgramRuleFiredAt));
        var verbatimWhenFired = SeedStatistics.Rounded(f.Select(x => x.VerbatimRateWhenFired));
        var stopping = new DynamicsStopping(
            new NgramRuleStop(ruleKeep.Epoch, ruleKeep.EpochSd, ruleKeep.VerbatimRate, ruleKeep.VerbatimRateSd, ruleKeep.ValPpl, ruleKeep.ValPplSd,
                fired.Mean, fired.Sd, verbatimWhenFired.Mean, verbatimWhenFired.Sd, f.Count(x => x.NgramRuleFiredAt is not null)),
            Stop(f.Select(x => x.BestValLoss)), Stop(f.Select(x => x.LastEpoch)));
        var findings = new DynamicsFindings(rise.Mean, rise.Sd, best.Mean, best.Sd, ngramRise.Mean, ngramRise.Sd, lead.Mean, lead.Sd, recordLead.Mean,
            recordLead.Sd, memorised.Mean, memorised.Sd, scoring.Mean, scoring.Sd, f.Count(x => x.MemorisationRiseEpoch is not null),
            f.Count(x => x.MemorisationRiseEpoch < x.BestValPplEpoch), stopping, f.Select(x => x.NgramRuleReason).ToList());
        if (f.Any(x => x.RepeatedVerbatimAtRise is not null))
        {
            var repeated = SeedStatistics.Rounded(f.Select(x => x.RepeatedVerbatimAtRise));
            var unique = SeedStatistics.Rounded(f.Select(x => x.UniqueVerbatimAtRise));
            findings = findings with
            {
                RepeatedVerbatimAtRise = repeated.Mean, RepeatedVerbatimAtRiseSd = repeated.Sd, UniqueVerbatimAtRise = unique.Mean, UniqueVerbatimAtRiseSd = unique.Sd,
            };
        }
        return new DynamicsSettingReport(epochs, findings);
    }

    private static StopFigures Stop(IEnumerable<KeptCheckpoint> outcomes)
    {
        var list = outcomes.ToList();
        var epoch = SeedStatistics.Rounded(list.Select(o => (double?)o.Epoch));
        var verbatim = SeedStatistics.Rounded(list.Select(o => (double?)o.VerbatimRate));
        var ppl = SeedStatistics.Rounded(list.Select(o => (double?)o.ValPpl));
        return new StopFigures(epoch.Mean, epoch.Sd, verbatim.Mean, verbatim.Sd, ppl.Mean, ppl.Sd);
    }
}
