using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Telemetry;

/// <summary>
/// The "Pipeline" meter and every instrument on it, in one place so the names an operator alerts on are easy to find:
/// pipeline.events.handled, pipeline.handler.duration, pipeline.erasures, pipeline.erasures.pending, pipeline.run.metric
/// and pipeline.run.epoch. Exported by OpenTelemetry (Prometheus when Telemetry:Prometheus:Enabled); readable by any
/// MeterListener otherwise.
/// </summary>
public sealed class PipelineMetrics
{
    public const string MeterName = "Pipeline";

    /// <summary>From a millisecond hand-off to an hour-long scoring or erasure: handlers of every kind fit these buckets (seconds).</summary>
    private static readonly double[] DurationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    private readonly Counter<long> _handled;
    private readonly Histogram<double> _handlerDuration;
    private readonly Counter<long> _erasures;

    public PipelineMetrics(IMeterFactory meters, LatestRunMetrics runs, IServiceProvider services, NodeIdentity node)
    {
        var meter = meters.Create(MeterName);
        _handled = meter.CreateCounter<long>("pipeline.events.handled", "{event}",
            "Messages handled by this node, by message_type and outcome (ok, faulted); a retry or redelivery counts again.");
        _handlerDuration = meter.CreateHistogram("pipeline.handler.duration", "s",
            "Time from a message reaching its consumer to the consumer finishing (or faulting), by message_type.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _erasures = meter.CreateCounter<long>("pipeline.erasures", "{erasure}",
            "Erasures this node finished, by state (completed, rejected): counted as it publishes UnlearningCompleted or UnlearningRejected.");
        meter.CreateObservableGauge("pipeline.erasures.pending", () => PendingErasures(services, node), "{erasure}",
            "Erasures in the ledger this node may still run (unclaimed, or claimed by it): read from the ledger at each collection.");
        meter.CreateObservableGauge("pipeline.run.metric", runs.Metrics, unit: null,
            $"The latest scored epoch's memorisation and loss metrics of the {LatestRunMetrics.MaxRuns} most recent runs, by run_id and metric ({string.Join(", ", LatestRunMetrics.MetricNames)}).");
        meter.CreateObservableGauge("pipeline.run.epoch", runs.Epochs, "{epoch}",
            "The epoch pipeline.run.metric describes, by run_id.");
    }

    public void Handled(string messageType, bool faulted, TimeSpan duration)
    {
        var type = new KeyValuePair<string, object?>("message_type", messageType);
        _handled.Add(1, type, new KeyValuePair<string, object?>("outcome", faulted ? "faulted" : "ok"));
        _handlerDuration.Record(duration.TotalSeconds, type);
    }

    /// <summary>state: completed or rejected, the two ends of an erasure (ErasureState's last two).</summary>
    public void ErasureFinished(ErasureState state) =>
        _erasures.Add(1, new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));

    /// <summary>A ledger that cannot be read reports nothing for this collection; the health check says why.</summary>
    private static IEnumerable<Measurement<int>> PendingErasures(IServiceProvider services, NodeIdentity node)
    {
        int pending;
        try
        {
            pending = services.GetRequiredService<IErasureLedger>().PendingFor(node.Name).Count;
        }
        catch (Exception)
        {
            return [];
        }
        return [new Measurement<int>(pending)];
    }
}
