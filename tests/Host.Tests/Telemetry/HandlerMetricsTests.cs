using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Tests.Support;
using Pipeline.Node.Telemetry;

namespace Pipeline.Host.Tests.Telemetry;

/// <summary>The Pipeline meter of a real host on the in-memory bus, read with a MeterListener as an exporter would.</summary>
public sealed class HandlerMetricsTests
{
    private static Dictionary<string, string?> InMemory => new() { ["Bus:Transport"] = "InMemory" };

    [Fact]
    public async Task Handling_an_epoch_counts_it_as_handled_ok_records_its_duration_and_reports_the_runs_latest_metrics()
    {
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), InMemory);
        using var meter = new PipelineMeterRecorder(host.Services.GetRequiredService<IMeterFactory>());
        var runId = Guid.NewGuid();

        await host.Bus.Publish(Messages.Epoch(runId, 1, trainLoss: 2.0, valLoss: 2.5));
        await host.WaitForAsync<EpochReviewed>(r => r.RunId == runId);
        // EpochReviewed reaching the observer endpoint comes after EpochCompleted's consumer finished; the observer records on the way out.
        Assert.True(await Eventually.TrueAsync(() => meter.Sum("pipeline.events.handled", "EpochCompleted", "ok") >= 1, TimeSpan.FromSeconds(30)));

        Assert.Equal(0, meter.Sum("pipeline.events.handled", "EpochCompleted", "faulted"));
        Assert.True(meter.Sum("pipeline.events.handled", "EpochScored", "ok") >= 1, "the scored epoch is handled too");
        var durations = meter.Values("pipeline.handler.duration", "EpochCompleted");
        Assert.NotEmpty(durations);
        Assert.All(durations, d => Assert.True(d >= 0));

        var gauges = meter.Observe("pipeline.run.metric");
        Assert.Equal(2.5, Assert.Single(gauges, g => g.Tags["run_id"] == runId.ToString("D") && g.Tags["metric"] == "val_loss").Value);
        Assert.Equal(2.0, Assert.Single(gauges, g => g.Tags["run_id"] == runId.ToString("D") && g.Tags["metric"] == "train_loss").Value);
        Assert.Equal(1, Assert.Single(meter.Observe("pipeline.run.epoch"), g => g.Tags["run_id"] == runId.ToString("D")).Value);
    }

    [Fact]
    public async Task A_message_that_fails_validation_is_counted_as_faulted()
    {
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), InMemory);
        using var meter = new PipelineMeterRecorder(host.Services.GetRequiredService<IMeterFactory>());

        await host.Bus.Publish(Messages.Epoch(Guid.NewGuid(), epoch: 0)); // epochs count from 1: the validator rejects it

        // The epoch-completed consumer's endpoint faults it (the test's own observer endpoint, which does not validate, takes it as ok).
        Assert.True(await Eventually.TrueAsync(() => meter.Sum("pipeline.events.handled", "EpochCompleted", "faulted") == 1, TimeSpan.FromSeconds(30)));
        Assert.NotEmpty(meter.Values("pipeline.handler.duration", "EpochCompleted"));
    }

    [Fact]
    public async Task An_erasure_rejected_for_want_of_a_forgetter_is_counted_by_state()
    {
        await using var host = await TestHost.StartAsync(TestPlugins.NewDirectory(), InMemory);
        using var meter = new PipelineMeterRecorder(host.Services.GetRequiredService<IMeterFactory>());
        var request = Messages.Unlearn("metrics-subject");

        await host.Bus.Publish(request);
        await host.WaitForAsync<UnlearningRejected>(r => r.RequestId == request.RequestId);

        Assert.True(await Eventually.TrueAsync(() => meter.Sum("pipeline.erasures", state: "rejected") == 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(0, meter.Sum("pipeline.erasures", state: "completed"));
        Assert.Equal(0, Assert.Single(meter.Observe("pipeline.erasures.pending")).Value);
    }

    /// <summary>Records the measurements of one host's Pipeline meter (other hosts in this test process have their own).</summary>
    private sealed class PipelineMeterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();
        private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _observed = new();
        private bool _observing;

        public PipelineMeterRecorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PipelineMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Keep(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Keep(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Keep(i, v, tags));
            _listener.Start();
        }

        public double Sum(string instrument, string? messageType = null, string? outcome = null, string? state = null) =>
            _measurements.Where(m => m.Instrument == instrument
                                     && (messageType is null || m.Tags.GetValueOrDefault("message_type") == messageType)
                                     && (outcome is null || m.Tags.GetValueOrDefault("outcome") == outcome)
                                     && (state is null || m.Tags.GetValueOrDefault("state") == state))
                .Sum(m => m.Value);

        public IReadOnlyList<double> Values(string instrument, string messageType) =>
            _measurements.Where(m => m.Instrument == instrument && m.Tags.GetValueOrDefault("message_type") == messageType).Select(m => m.Value).ToList();

        /// <summary>Runs the observable instruments' callbacks once, as an exporter's collection does.</summary>
        public IReadOnlyList<(double Value, Dictionary<string, string?> Tags)> Observe(string instrument)
        {
            _observed.Clear();
            _observing = true;
            _listener.RecordObservableInstruments();
            _observing = false;
            return _observed.Where(o => o.Instrument == instrument).Select(o => (o.Value, o.Tags)).ToList();
        }

        public void Dispose() => _listener.Dispose();

        private void Keep<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
        {
            var entry = (instrument.Name, Convert.ToDouble(value), tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()));
            (_observing && instrument.IsObservable ? _observed : _measurements).Enqueue(entry);
        }
    }
}
