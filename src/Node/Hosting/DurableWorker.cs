using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Node.Hosting;

/// <summary>
/// The one shape of the node's long jobs (fine-tuning runs, erasures). A consumer records the work durably (run.json, a
/// ledger row) and acknowledges its message at once — RabbitMQ's consumer timeout never applies — and queues it here.
/// The worker first takes up what this node left unfinished (<see cref="IUnfinishedWork{T}"/>), then carries out queued
/// items one at a time. An item that fails is logged and leaves the node running; on shutdown no new item is taken and
/// the one in progress is cancelled (a subclass may let it finish within a grace first), staying recorded for later.
/// </summary>
public abstract class DurableWorker<T>(WorkQueue<T> queue, IEnumerable<IUnfinishedWork<T>> unfinished, ILogger logger) : BackgroundService
{
    private readonly CancellationTokenSource _stopTaking = new();

    /// <summary>Cancelled when the host starts stopping: take no new item.</summary>
    protected CancellationToken StopTaking => _stopTaking.Token;

    /// <summary>How the item reads in the logs.</summary>
    protected abstract string Describe(T item);

    /// <summary>Carries out one item (a subclass may read more items off the queue to batch them).</summary>
    protected abstract Task CarryOutAsync(T item, WorkQueue<T> queue, CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var source in unfinished)
            await source.TakeUpAsync(queue, stoppingToken);

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stopTaking.Token);
        try
        {
            await foreach (var item in queue.ReadAllAsync(reading.Token))
            {
                try
                {
                    await CarryOutAsync(item, queue, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("{Item} interrupted by shutdown; it stays recorded and is taken up again", Describe(item));
                    throw;
                }
                catch (Exception failure)
                {
                    // That item is the problem, not the node (an exception escaping here would stop the host).
                    logger.LogError(failure, "{Item} could not be carried out: {Reason}", Describe(item), failure.Message);
                }
                if (_stopTaking.IsCancellationRequested)
                    return;
            }
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
        }
    }

    /// <summary>Between "take no new item" and cancelling the one in progress: time to let it finish (none by default).</summary>
    protected virtual Task GraceAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopTaking.Cancel();
        await GraceAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopTaking.Dispose();
        base.Dispose();
    }
}
