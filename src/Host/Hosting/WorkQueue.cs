using System.Threading.Channels;

namespace Pipeline.Host.Hosting;

/// <summary>
/// Work already recorded durably and waiting for this node's background worker. In memory only: the durable record
/// (ledger row, run.json) is what survives a crash, and the worker re-reads it at start-up or on redelivery.
/// </summary>
public abstract class WorkQueue<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>();

    public void Enqueue(T item) => _channel.Writer.TryWrite(item);

    public IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
