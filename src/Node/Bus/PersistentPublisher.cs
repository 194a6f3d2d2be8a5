using MassTransit;
using Microsoft.Extensions.Logging;

namespace Pipeline.Node.Bus;

/// <summary>
/// Publishes an event until the broker takes it: a run's epochs and end, an erasure's outcome. A broker that restarts
/// or drops the connection must not fail an hours-long run for a passing outage, nor stop the erasure processor: a
/// failed publish is retried with backoff (0.5 s doubling to 30 s) for as long as the node runs. On shutdown it gives
/// up (OperationCanceledException); the run record or the ledger still says the event is due, and it goes out when
/// the node starts again. Every attempt carries the same message id, so a copy the broker did take before the
/// connection broke is recognisable.
/// </summary>
public sealed class PersistentPublisher(IBus bus, ILogger<PersistentPublisher> logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(30);

    public async Task PublishAsync<T>(T message, Guid messageId, CancellationToken cancellationToken) where T : class
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await bus.Publish(message, context => context.MessageId = messageId, cancellationToken);
                if (attempt > 1)
                    logger.LogInformation("{MessageType} {MessageId} published at attempt {Attempt}", typeof(T).Name, messageId, attempt);
                return;
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{MessageType} {MessageId} not published (attempt {Attempt}: {Reason}); retrying in {Delay}",
                    typeof(T).Name, messageId, attempt, failure.Message.ReplaceLineEndings(" "), delay);
                await Task.Delay(delay, cancellationToken);
                delay = delay * 2 < LongestDelay ? delay * 2 : LongestDelay;
            }
        }
    }
}
