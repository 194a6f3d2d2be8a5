using Pipeline.Contracts.Messages;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Experiments;
using Pipeline.Lab.Experiments.MemorisationDynamics;
using Pipeline.Node.FineTuning;
using Pipeline.Node.Pretraining;
using Pipeline.Contracts.Runs;

namespace Pipeline.Lab.Experiments.Mitigation;

/// <summary>
/// `pipeline experiment mitigation`: the same data, seeds and epochs for each method (no mitigation, Goldfish, the
/// n-gram regulariser at fixed and tuned λ, n-gram early stopping alone and with the regulariser), on the
/// memorisation-prone repetition setting of memorisation-dynamics. Reports, per method, the verbatim rate, n-gram score
/// and validation perplexity of the last epoch trained (for the stopping methods: the epoch they stopped at) and the
/// training time, and each method's relative memorisation reduction and perplexity change against no mitigation.
/// </summary>
public sealed class MitigationExperiment(MemorisationDynamicsOptions options, ITrainingProgressSink sink)
{
    public const string Setting = "fortunes_repeated";

    public async Task<MitigationReport> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = new ExperimentData(options, sink);
        var corpus = await data.ScorableRecordsAsync(cancellationToken);
        var outcomes = MitigationMethod.All.ToDictionary(m => m.Name, _ => new List<RunRecord>());
        for (var seed = 1; seed <= options.Seeds; seed++)
        {
            var (trainPath, validationPath, _) = data.Write(corpus, workDirectory, Setting, seed);
            foreach (var method in MitigationMethod.All)
            {
                sink.Message($"experiment: {method.Name}, seed {seed}/{options.Seeds}");
                var methodDirectory = Path.Combine(workDirectory, method.Name);
                var plugins = InProcessFineTune.PluginSelection(methodDirectory, [.. method.Plugins]);
                var request = new StartFineTune(Guid.NewGuid(), BaseModelLocator.LocalBase, trainPath, options.Epochs, options.LearningRate, seed,
                    method.Regulariser, method.Lambda, DateTimeOffset.UtcNow)
                {
                    BatchSize = options.BatchSize,
                    ContextLength = options.ContextLength,
                    MaxRecords = int.MaxValue,
                    RunsDirectory = Path.Combine(methodDirectory, "runs"),
                    ValidationDataset = validationPath,
                    TuneLambda = method.TuneLambda,
                };
                outcomes[method.Name].Add(await InProcessFineTune.RunAsync(request, plugins, options.ScoringSettings(), sink, cancellationToken));
            }
        }
        return new MitigationReport(Summarise(outcomes), options, Setting, MitigationMethod.FixedLambda, MachineDescription.Current(),
            Math.Round(clock.Elapsed.TotalSeconds, 1), workDirectory);
    }

    private static Dictionary<string, MitigationFigures> Summarise(Dictionary<string, List<RunRecord>> outcomes)
    {
        static EpochRecord Last(RunRecord run) => run.Epochs.MaxBy(e => e.Epoch)!;
        static double Metric(RunRecord run, string name) => Last(run).Metrics.GetValueOrDefault(name);
        var none = outcomes["none"];
        var methods = new Dictionary<string, MitigationFigures>();
        foreach (var (name, runs) in outcomes)
        {
            var verbatim = SeedStatistics.Rounded(runs.Select(r => (double?)Metric(r, "verbatim_rate")));
            var ngram = SeedStatistics.Rounded(runs.Select(r => (double?)Metric(r, "ngram_score")));
            var ppl = SeedStatistics.Rounded(runs.Select(r => (double?)Math.Exp(Last(r).ValLoss)));
            var seconds = SeedStatistics.Rounded(runs.Select(r => (double?)r.Epochs.Sum(e => e.Seconds)));
            var epochs = SeedStatistics.Rounded(runs.Select(r => (double?)r.Epochs.Count));
            // Against no mitigation with the same seed (runs are in seed order).
            var reduction = SeedStatistics.Rounded(runs.Zip(none, (r, n) => Metric(n, "verbatim_rate") > 0
                ? (double?)(1 - Metric(r, "verbatim_rate") / Metric(n, "verbatim_rate")) : null));
            var pplChange = SeedStatistics.Rounded(runs.Zip(none, (r, n) => (double?)(Math.Exp(Last(r).ValLoss) / Math.Exp(Last(n).ValLoss) - 1)));
            var epochTime = SeedStatistics.Rounded(runs.Zip(none, (r, n) => (double?)(r.Epochs.Average(e => e.Seconds) / n.Epochs.Average(e => e.Seconds))));
            var lambda = SeedStatistics.Rounded(runs.Select(r => (double?)Last(r).Lambda));
            methods[name] = new MitigationFigures(verbatim.Mean, verbatim.Sd, ngram.Mean, ngram.Sd, ppl.Mean, ppl.Sd, seconds.Mean, seconds.Sd,
                epochs.Mean, epochs.Sd, reduction.Mean, reduction.Sd, pplChange.Mean, pplChange.Sd, epochTime.Mean, epochTime.Sd, lambda.Mean, lambda.Sd);
        }
        return methods;
    }
}
