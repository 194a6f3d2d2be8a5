using Pipeline.Contracts.Messages;
using Pipeline.Node.Telemetry;

namespace Pipeline.Host.Tests.Telemetry;

/// <summary>The per-run gauges keep their cardinality bounded: the latest epoch, known metrics, recent runs only.</summary>
public sealed class LatestRunMetricsTests
{
    private static EpochScored Scored(Guid runId, int epoch, double valLoss) =>
        new(runId, epoch, new Dictionary<string, double> { ["val_loss"] = valLoss, ["verbatim_rate@cluster_3"] = 0.5, ["made_up"] = 1 },
            ["test"], DateTimeOffset.UtcNow);

    [Fact]
    public void Only_the_latest_epoch_and_the_listed_metric_names_are_reported()
    {
        var runs = new LatestRunMetrics();
        var runId = Guid.NewGuid();

        runs.Record(Scored(runId, 2, valLoss: 1.5));
        runs.Record(Scored(runId, 1, valLoss: 9.9)); // a redelivered older epoch

        var metric = Assert.Single(runs.Metrics());
        Assert.Equal(1.5, metric.Value);
        Assert.Contains(new KeyValuePair<string, object?>("metric", "val_loss"), metric.Tags.ToArray());
        Assert.Equal(2, Assert.Single(runs.Epochs()).Value);
    }

    [Fact]
    public void Past_the_run_limit_the_run_scored_longest_ago_is_dropped()
    {
        var runs = new LatestRunMetrics();
        var first = Guid.NewGuid();
        runs.Record(Scored(first, 1, 1));
        for (var i = 0; i < LatestRunMetrics.MaxRuns; i++)
            runs.Record(Scored(Guid.NewGuid(), 1, 1));

        var reported = runs.Epochs().Select(e => e.Tags.ToArray().Single(t => t.Key == "run_id").Value).ToList();
        Assert.Equal(LatestRunMetrics.MaxRuns, reported.Count);
        Assert.DoesNotContain(first.ToString("D"), reported);
    }
}
