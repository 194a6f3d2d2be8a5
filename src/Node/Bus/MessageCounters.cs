using System.Collections.Concurrent;

namespace Pipeline.Node.Bus;

/// <summary>How many messages of each type this process validated and rejected: for health reports, benches and tests.</summary>
public sealed class MessageCounters
{
    private readonly ConcurrentDictionary<string, long> _accepted = new();
    private readonly ConcurrentDictionary<string, long> _rejected = new();

    public void Accepted(string messageType) => _accepted.AddOrUpdate(messageType, 1, (_, n) => n + 1);

    public void Rejected(string messageType) => _rejected.AddOrUpdate(messageType, 1, (_, n) => n + 1);

    public long AcceptedCount(string messageType) => _accepted.GetValueOrDefault(messageType);

    public long RejectedCount(string messageType) => _rejected.GetValueOrDefault(messageType);
}
