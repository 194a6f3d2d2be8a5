using System.Diagnostics;
using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.Telemetry;

/// <summary>
/// Times every message a consumer of this node handles and counts it as ok or faulted (pipeline.events.handled,
/// pipeline.handler.duration); scored epochs also feed the per-run gauges. An observer sees every endpoint, the
/// temporary ones included, without a filter in any consumer's pipe.
/// </summary>
public sealed class HandlerMetricsObserver(PipelineMetrics metrics, LatestRunMetrics runs) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        // A retry hands the same context back: each attempt starts its own clock.
        var started = new HandlingStarted(Stopwatch.GetTimestamp());
        context.AddOrUpdatePayload(() => started, _ => started);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        metrics.Handled(typeof(T).Name, faulted: false, Elapsed(context));
        if (context.Message is EpochScored scored)
            runs.Record(scored);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        metrics.Handled(typeof(T).Name, faulted: true, Elapsed(context));
        return Task.CompletedTask;
    }

    private static TimeSpan Elapsed(ConsumeContext context) =>
        context.TryGetPayload<HandlingStarted>(out var started) ? Stopwatch.GetElapsedTime(started.Timestamp) : TimeSpan.Zero;

    /// <summary>When this attempt at the message began (Stopwatch ticks).</summary>
    private sealed record HandlingStarted(long Timestamp);
}
