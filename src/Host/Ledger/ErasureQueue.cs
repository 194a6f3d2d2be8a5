using System.Threading.Channels;

namespace Pipeline.Host.Ledger;

/// <summary>Request ids recorded in the ledger and waiting for this node's erasure processor.</summary>
public sealed class ErasureQueue
{
    private readonly Channel<Guid> _channel = Channel.CreateUnbounded<Guid>();

    public void Enqueue(Guid requestId) => _channel.Writer.TryWrite(requestId);

    public IAsyncEnumerable<Guid> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
