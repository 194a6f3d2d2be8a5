using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Lab.Benchmarks.Erasure;

/// <summary>
/// Watches the serve host's unlearn-requested endpoint: a request counts as acknowledged when the consumer has finished
/// with it (PostConsume: the ledger write is committed, the broker ack comes next). Latency runs from the moment the
/// request was handed to the bus, matched by request id, so the bench's own requests are the only ones timed.
/// </summary>
public sealed class ErasureAcknowledgements : IConsumeMessageObserver<UnlearnRequested>
{
    private readonly ConcurrentDictionary<Guid, Tracked> _tracked = new();
    private long _lastTicks;
    private int _acknowledged;

    /// <summary>How many tracked requests the consumer has finished with.</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Stopwatch timestamp of the latest acknowledgement: the end of a burst.</summary>
    public long LastTicks => Interlocked.Read(ref _lastTicks);

    /// <summary>Starts the clock of one request (call just before sending it); the task ends with its latency in milliseconds.</summary>
    public Task<double> Track(Guid requestId)
    {
        var tracked = new Tracked(Stopwatch.GetTimestamp());
        if (!_tracked.TryAdd(requestId, tracked))
            throw new InvalidOperationException($"request {requestId} is tracked already");
        return tracked.Done.Task;
    }

    public Task PreConsume(ConsumeContext<UnlearnRequested> context) => Task.CompletedTask;

    public Task PostConsume(ConsumeContext<UnlearnRequested> context)
    {
        var now = Stopwatch.GetTimestamp();
        // A redelivered copy finds its request done already: the first acknowledgement is the one that counts.
        if (_tracked.TryGetValue(context.Message.RequestId, out var tracked) &&
            tracked.Done.TrySetResult(Stopwatch.GetElapsedTime(tracked.SentTicks, now).TotalMilliseconds))
        {
            Interlocked.Increment(ref _acknowledged);
            InterlockedMax(ref _lastTicks, now);
        }
        return Task.CompletedTask;
    }

    // A failed attempt is retried by the endpoint's retry policy; what the ledger holds at the end is the verdict.
    public Task ConsumeFault(ConsumeContext<UnlearnRequested> context, Exception exception) => Task.CompletedTask;

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    private sealed record Tracked(long SentTicks)
    {
        public TaskCompletionSource<double> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
