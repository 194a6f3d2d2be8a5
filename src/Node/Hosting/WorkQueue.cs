using System.Threading.Channels;

namespace Pipeline.Node.Hosting;

/// <summary>
/// Work already recorded durably and waiting for this node's background worker. In memory only: the durable record
/// (ledger row, run.json) is what survives a crash, and the worker re-reads it at start-up or on redelivery.
/// </summary>
public abstract class WorkQueue<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>();

    public void Enqueue(T item) => _channel.Writer.TryWrite(item);

    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>The next item, waiting at most <paramref name="limit"/>; false when none came in time.</summary>
    public async Task<(bool Found, T? Item)> TryReadAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out var ready))
            return (true, ready);
        if (limit <= TimeSpan.Zero)
            return (false, default);
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(limit);
        try
        {
            return await _channel.Reader.WaitToReadAsync(window.Token) && _channel.Reader.TryRead(out var item) ? (true, item) : (false, default);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, default);
        }
    }
}
