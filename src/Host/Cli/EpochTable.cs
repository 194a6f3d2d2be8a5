using Pipeline.Node.FineTuning.Reports;
using Pipeline.Contracts.Runs;

namespace Pipeline.Host.Cli;

/// <summary>
/// The per-epoch table `finetune` prints: losses, perplexity, λ, time, and every metric the scorers reported. Metrics
/// broken down by group (verbatim_rate@cluster_k) would add a column each, so instead each such metric gets one line
/// with the last epoch's values by group; their labels are in report.json (metric_labels).
/// </summary>
public static class EpochTable
{
    public static void Print(RunRecord run)
    {
        var allNames = run.Epochs.SelectMany(e => e.Metrics.Keys).Distinct()
            .Where(k => k is not ("train_loss" or "val_loss" or "lambda" or "tune_lambda")).Order(StringComparer.Ordinal).ToList();
        var metricNames = allNames.Where(m => !MetricBreakdown.IsBreakdown(m)).ToList();
        var header = $"{"epoch",5} {"train",8} {"val",8} {"val ppl",9} {"lambda",7} {"seconds",8}" + string.Concat(metricNames.Select(m => $" {m,14}"));
        Console.WriteLine(header);
        foreach (var e in run.Epochs.OrderBy(e => e.Epoch))
        {
            var marker = e.Epoch == run.Best?.Epoch ? "*" : " ";
            Console.WriteLine($"{e.Epoch,4}{marker} {e.TrainLoss,8:0.000} {e.ValLoss,8:0.000} {Math.Exp(e.ValLoss),9:0.00} {e.Lambda,7:0.###} {e.Seconds,8:0.0}" +
                              string.Concat(metricNames.Select(m => e.Metrics.TryGetValue(m, out var v) ? $" {v,14:0.####}" : $" {"-",14}")));
        }
        Console.WriteLine("* best epoch (lowest validation loss)");
        PrintBreakdowns(run, allNames.Where(MetricBreakdown.IsBreakdown).ToList());
    }

    /// <summary>One line per broken-down metric: "verbatim_rate by group, epoch 3: cluster_1 0.25, cluster_2 0, …".</summary>
    private static void PrintBreakdowns(RunRecord run, IReadOnlyList<string> names)
    {
        var last = run.Epochs.Where(e => e.Metrics.Keys.Any(MetricBreakdown.IsBreakdown)).MaxBy(e => e.Epoch);
        if (last is null)
            return;
        foreach (var metric in names.GroupBy(n => MetricBreakdown.Split(n).Metric, StringComparer.Ordinal))
        {
            var values = metric.Where(last.Metrics.ContainsKey)
                .Select(n => $"{MetricBreakdown.Split(n).Group} {last.Metrics[n]:0.####}");
            Console.WriteLine($"{metric.Key} by group, epoch {last.Epoch}: {string.Join(", ", values)}");
        }
        if (run.MetricLabels.Keys.Any(MetricBreakdown.IsBreakdown))
            Console.WriteLine("(what each group is: metric_labels in report.json)");
    }
}
