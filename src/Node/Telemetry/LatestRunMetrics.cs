using System.Diagnostics.Metrics;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Telemetry;

/// <summary>
/// The latest scored epoch of the most recent runs, for the pipeline.run.metric gauge. Cardinality stays bounded: one
/// series per run and metric, only the metrics named here (per-cluster and plugin-specific metrics stay in the run
/// report), and only the <see cref="MaxRuns"/> runs scored most recently.
/// </summary>
public sealed class LatestRunMetrics
{
    public const int MaxRuns = 20;

    /// <summary>Losses and the memorisation metrics an operator watches (see the README's memorisation metrics).</summary>
    public static readonly IReadOnlyList<string> MetricNames =
        ["train_loss", "val_loss", "val_ppl", "verbatim_rate", "verbatim_rate_heldout", "ngram_score", "ngram_score_heldout", "lambda"];

    private readonly object _lock = new();
    private readonly Dictionary<Guid, Latest> _runs = new();
    private long _sequence;

    /// <summary>Keeps the epoch's metrics when it is the run's newest so far (a redelivered older epoch does not go back).</summary>
    public void Record(EpochScored scored)
    {
        var metrics = MetricNames.Where(scored.Metrics.ContainsKey).ToDictionary(n => n, n => scored.Metrics[n]);
        lock (_lock)
        {
            if (_runs.TryGetValue(scored.RunId, out var existing) && existing.Epoch > scored.Epoch)
                return;
            _runs[scored.RunId] = new Latest(scored.Epoch, metrics, ++_sequence);
            if (_runs.Count > MaxRuns)
                _runs.Remove(_runs.MinBy(r => r.Value.Sequence).Key);
        }
    }

    public IEnumerable<Measurement<double>> Metrics()
    {
        lock (_lock)
            return _runs.SelectMany(run => run.Value.Values.Select(metric => new Measurement<double>(metric.Value,
                new KeyValuePair<string, object?>("run_id", run.Key.ToString("D")),
                new KeyValuePair<string, object?>("metric", metric.Key)))).ToList();
    }

    public IEnumerable<Measurement<int>> Epochs()
    {
        lock (_lock)
            return _runs.Select(run => new Measurement<int>(run.Value.Epoch, new KeyValuePair<string, object?>("run_id", run.Key.ToString("D")))).ToList();
    }

    private sealed record Latest(int Epoch, IReadOnlyDictionary<string, double> Values, long Sequence);
}
