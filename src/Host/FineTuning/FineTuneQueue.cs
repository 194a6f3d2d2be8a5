using System.Threading.Channels;

namespace Pipeline.Host.FineTuning;

/// <summary>Runs recorded on disk and waiting for this node's worker (one run at a time: training uses every core).</summary>
public sealed class FineTuneQueue
{
    private readonly Channel<string> _runDirectories = Channel.CreateUnbounded<string>();

    public void Enqueue(string runDirectory) => _runDirectories.Writer.TryWrite(runDirectory);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken) => _runDirectories.Reader.ReadAllAsync(cancellationToken);
}
