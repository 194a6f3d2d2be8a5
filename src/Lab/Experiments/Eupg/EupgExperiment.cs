using System.Diagnostics;
using Pipeline.Modelling.Data;
using Pipeline.Modelling.Privacy;
using Pipeline.Modelling.Tabular;
using Pipeline.Modelling.Unlearning;
using Pipeline.Data;
using Pipeline.Data.Packages;
using Pipeline.Lab.Benchmarks;
using Pipeline.Lab.Benchmarks.Erasure;
using Pipeline.Lab.Experiments;
using Pipeline.Node.FineTuning;

namespace Pipeline.Lab.Experiments.Eupg;

/// <summary>
/// `pipeline experiment eupg`: on each tabular data set, exact retraining, SISA, EUPG with k-anonymity and EUPG with
/// ε-DP learn a model (before) and forget a random share of its training rows (after); for each, test accuracy,
/// membership inference on the forgotten rows (members) against an equally large test sample (non-members), and the
/// seconds spent. The attacks' noise floor is the same attacks on two disjoint test samples against the retrained model.
/// </summary>
public sealed class EupgExperiment(EupgOptions options, ITrainingProgressSink sink)
{
    public static readonly string[] Methods = ["retrain", "sisa", "eupg_k", "eupg_eps"];

    public async Task<EupgReport> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var datasets = new Dictionary<string, EupgDataSetReport>();
        foreach (var name in options.DataSets)
        {
            var dataSet = TabularDataSet.Known.Single(d => d.Name == name);
            var path = await DatasetLocator.ForCurrentUser().ResolveAsync(name, p => sink.Message($"data: {p.Message}"), cancellationToken);
            var table = TabularTable.FromRecords(JsonlDataset.Read(path), dataSet.LabelColumn);
            datasets[name] = RunDataSet(name, table, cancellationToken);
        }
        return new EupgReport(datasets, options, MachineDescription.Current(), Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    /// <summary>All repeats of all methods on one table.</summary>
    public EupgDataSetReport RunDataSet(string name, TabularTable table, CancellationToken cancellationToken)
    {
        var (trainRows, testRows) = StratifiedSplit(table.Labels, options.TestFraction, options.Seed);
        var encoder = TabularEncoder.Fit(table, trainRows);
        var train = encoder.Encode(table, trainRows);
        var test = encoder.Encode(table, testRows);
        var forgetCount = (int)(train.Rows * options.ForgetFraction);
        if (forgetCount < 2 || 2 * forgetCount > test.Rows)
            throw new ArgumentException($"{name}: forgetting {forgetCount} rows needs at least 2 and a test set of twice as many ({test.Rows} test rows)");
        sink.Message($"eupg: {name}: {train.Rows} training rows ({train.Width} encoded features), {test.Rows} test rows, forgetting {forgetCount} per repeat");

        var outcomes = Methods.ToDictionary(m => m, _ => new List<MethodFigures>());
        var noiseFloor = new List<double>();
        var minimumGroup = int.MaxValue;
        for (var repeat = 0; repeat < options.Repeats; repeat++)
        {
            var seed = options.Seed + repeat;
            var random = new Random(seed);
            var forget = Enumerable.Range(0, train.Rows).OrderBy(_ => random.Next()).Take(forgetCount).ToArray();
            var nonMembers = Enumerable.Range(0, test.Rows).OrderBy(_ => random.Next()).Take(forgetCount).ToArray();
            foreach (var method in Methods)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var unlearning = Create(method, seed, groups => minimumGroup = Math.Min(minimumGroup, groups.Min(g => g.Length)));
                var outcome = Measure(unlearning, train, test, forget, nonMembers, seed);
                outcomes[method].Add(outcome);
                sink.Message($"eupg: {name} repeat {repeat + 1}/{options.Repeats} {method}: accuracy {outcome.Before.Utility:0.000} → {outcome.After.Utility:0.000}, " +
                             $"MIA AUC {outcome.Before.MiaAuc:0.000} → {outcome.After.MiaAuc:0.000}, {outcome.Before.Seconds:0.00} s to learn, {outcome.After.Seconds:0.000} s to forget");
                if (method == "retrain")
                    noiseFloor.AddRange(NoiseFloor(unlearning, test, forgetCount, seed));
            }
        }

        var (floor, floorSd) = SeedStatistics.Of(noiseFloor.Select(v => (double?)v));
        var retrainForget = outcomes["retrain"].Average(o => o.After.Seconds);
        return new EupgDataSetReport(Round(floor), Round(floorSd), train.Rows, test.Rows, forgetCount, train.Width, minimumGroup,
            Methods.ToDictionary(m => m, m => Summary(outcomes[m].Select(o => o.Before).ToList())),
            Methods.ToDictionary(m => m, m => Summary(outcomes[m].Select(o => o.After).ToList())),
            Methods.ToDictionary(m => m, m => Round(retrainForget / outcomes[m].Average(o => o.After.Seconds))));
    }

    private IUnlearningMethod Create(string method, int seed, Action<IReadOnlyList<int[]>> partitioned)
    {
        var budget = options.Budget;
        switch (method)
        {
            case "retrain":
                return new RetrainFromScratch(budget, seed);
            case "sisa":
                return new Sisa(budget, seed, options.SisaShards, options.SisaSlices);
            case "eupg_k":
                return new Modelling.Unlearning.Eupg(method, data => TrainingDataProtection.KAnonymous(data, options.K, partitioned), budget, seed);
            case "eupg_eps":
                return new Modelling.Unlearning.Eupg(method, data => TrainingDataProtection.LaplaceNoised(data, options.Epsilon, new Random(seed)), budget, seed);
            default:
                throw new ArgumentException($"unknown method {method}");
        }
    }

    private static MethodFigures Measure(IUnlearningMethod method, TabularMatrix train, TabularMatrix test, int[] forget, int[] nonMembers, int seed)
    {
        var forgotten = train.Select(forget);
        Phase Evaluate(double seconds)
        {
            var onTest = method.Outputs(test);
            var attack = MembershipAttacks.Run(method.Outputs(forgotten), onTest.Select(nonMembers), seed);
            return new Phase(TabularTraining.Accuracy(onTest.Logits, test.Classes, test.Labels), attack.MaxAuc, attack.MaxAdvantage, seconds);
        }

        // Each phase takes milliseconds: collect first, so a collection (and the tensor finalizers it runs) that earlier
        // work made due does not land in the phase being timed.
        Settle();
        var clock = Stopwatch.StartNew();
        method.Learn(train);
        var before = Evaluate(clock.Elapsed.TotalSeconds);
        Settle();
        clock.Restart();
        method.Forget(forget);
        var after = Evaluate(clock.Elapsed.TotalSeconds);
        return new MethodFigures(before, after);
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>The attacks on two disjoint samples of rows no model was trained on: what "no membership signal" scores.</summary>
    private IEnumerable<double> NoiseFloor(IUnlearningMethod model, TabularMatrix test, int size, int seed)
    {
        var outputs = model.Outputs(test);
        for (var draw = 0; draw < options.NoiseFloorDraws; draw++)
        {
            var random = new Random(seed * 1000 + draw);
            var rows = Enumerable.Range(0, test.Rows).OrderBy(_ => random.Next()).Take(2 * size).ToArray();
            yield return MembershipAttacks.Run(outputs.Select(rows[..size]), outputs.Select(rows[size..]), seed + draw).MaxAuc;
        }
    }

    /// <summary>Per class, a seeded shuffle with the test fraction of it held out, so both sides keep the class balance.</summary>
    public static (int[] Train, int[] Test) StratifiedSplit(IReadOnlyList<int> labels, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            var held = (int)Math.Round(rows.Length * testFraction);
            test.AddRange(rows[..held]);
            train.AddRange(rows[held..]);
        }
        return ([.. train.Order()], [.. test.Order()]);
    }

    private static EupgPhaseFigures Summary(IReadOnlyList<Phase> phases)
    {
        var (utility, utilitySd) = SeedStatistics.Rounded(phases.Select(p => (double?)p.Utility));
        var (auc, aucSd) = SeedStatistics.Rounded(phases.Select(p => (double?)p.MiaAuc));
        var (advantage, advantageSd) = SeedStatistics.Rounded(phases.Select(p => (double?)p.MiaAdvantage));
        var (seconds, secondsSd) = SeedStatistics.Rounded(phases.Select(p => (double?)p.Seconds));
        return new EupgPhaseFigures(utility, utilitySd, auc, aucSd, advantage, advantageSd, seconds, secondsSd);
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 4);

    private sealed record Phase(double Utility, double MiaAuc, double MiaAdvantage, double Seconds);

    private sealed record MethodFigures(Phase Before, Phase After);
}
