using ScottPlot;
using Pipeline.Contracts.Runs;

namespace Pipeline.Node.FineTuning.Reports;

/// <summary>
/// runs/&lt;run-id&gt;/memorisation.png: training and validation loss per epoch (left axis) and every memorisation
/// metric the scorers reported (right axis, 0–1 scores), named in the legend with its label when it has one, with the
/// epoch training stopped at marked.
/// </summary>
public static class MemorisationPlot
{
    public const string FileName = "memorisation.png";

    /// <summary>Metric name fragments drawn on the right axis.</summary>
    private static readonly string[] MemorisationMetrics = ["ngram_score", "verbatim_rate", "token_match", "loss_gap"];

    /// <summary>How many words of a metric's label the legend shows.</summary>
    private const int LegendLabelTerms = 3;

    public static string Write(string runDirectory, RunRecord run)
    {
        var epochs = run.Epochs.OrderBy(e => e.Epoch).ToList();
        var x = epochs.Select(e => (double)e.Epoch).ToArray();
        var plot = new Plot();
        plot.Title($"run {run.Request.RunId.ToString()[..8]}: {Path.GetFileName(run.DatasetPath ?? run.Request.Dataset)}");
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1); // epochs are whole numbers
        plot.YLabel("loss");

        AddLine(plot, x, epochs.Select(e => e.TrainLoss).ToArray(), "train loss", null);
        AddLine(plot, x, epochs.Select(e => e.ValLoss).ToArray(), "validation loss", null);

        var metricNames = epochs.SelectMany(e => e.Metrics.Keys).Distinct()
            .Where(name => MemorisationMetrics.Any(name.Contains)).Order(StringComparer.Ordinal).ToList();
        if (metricNames.Count > 0)
        {
            var right = plot.Axes.Right;
            right.Label.Text = "memorisation metric";
            foreach (var name in metricNames)
            {
                var points = epochs.Where(e => e.Metrics.ContainsKey(name)).ToList();
                AddLine(plot, points.Select(e => (double)e.Epoch).ToArray(), points.Select(e => e.Metrics[name]).ToArray(), LegendText(run, name), right);
            }
        }

        if (run.StoppedAtEpoch is { } stopped)
        {
            var line = plot.Add.VerticalLine(stopped);
            line.LegendText = "stopped";
            line.LinePattern = LinePattern.Dashed;
        }
        plot.ShowLegend(Alignment.UpperRight);
        var path = Path.Combine(runDirectory, FileName);
        var temporary = Path.Combine(runDirectory, $"memorisation.tmp-{Environment.ProcessId}.png");
        plot.SavePng(temporary, 900, 540);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// The metric's name, with the first few words of its label when a scorer gave one ("verbatim_rate@cluster_1
    /// (refund, order, parcel)"): the legend must stay narrower than the plot.
    /// </summary>
    public static string LegendText(RunRecord run, string metricName)
    {
        if (!run.MetricLabels.TryGetValue(metricName, out var label) || string.IsNullOrWhiteSpace(label))
            return metricName;
        var words = label.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shown = string.Join(", ", words.Take(LegendLabelTerms));
        return $"{metricName} ({shown}{(words.Length > LegendLabelTerms ? ", …" : "")})";
    }

    private static void AddLine(Plot plot, double[] x, double[] y, string label, IYAxis? axis)
    {
        if (x.Length == 0)
            return;
        var scatter = plot.Add.Scatter(x, y);
        scatter.LegendText = label;
        if (axis is not null)
            scatter.Axes.YAxis = axis;
    }
}
