using System.Collections.Concurrent;
using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Host.Tests.Support;

/// <summary>
/// Keeps every UnlearningCompleted and UnlearningRejected a bus receives, each copy with its MessageId, so a test can
/// tell a lost outcome, a second outcome and a copy of the same publication apart. Its queue is bound when
/// <see cref="StartAsync"/> returns: start it before publishing, or early outcomes go nowhere.
/// </summary>
public sealed class OutcomeRecorder
{
    /// <summary>One copy as received; Evidence as "name=value" pairs in name order, so two copies compare equal field by field.</summary>
    public sealed record Outcome(Guid RequestId, bool Completed, string? Reason, string? Forgetter, string? Summary, string? Evidence, string HandledBy,
        DateTimeOffset Timestamp, Guid? MessageId);

    private readonly ConcurrentQueue<Outcome> _outcomes = new();

    private OutcomeRecorder()
    {
    }

    public IReadOnlyList<Outcome> Outcomes => _outcomes.ToList();

    public static async Task<OutcomeRecorder> StartAsync(IBus bus)
    {
        var recorder = new OutcomeRecorder();
        var handle = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.Handler<UnlearningCompleted>(c => recorder.Keep(new Outcome(c.Message.RequestId, true, null, c.Message.Forgetter, c.Message.Summary,
                string.Join(";", c.Message.Evidence.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value:R}")), c.Message.HandledBy,
                c.Message.Timestamp, c.MessageId)));
            endpoint.Handler<UnlearningRejected>(c => recorder.Keep(new Outcome(c.Message.RequestId, false, c.Message.Reason, null, null, null,
                c.Message.HandledBy, c.Message.Timestamp, c.MessageId)));
        });
        await handle.Ready;
        return recorder;
    }

    private Task Keep(Outcome outcome)
    {
        _outcomes.Enqueue(outcome);
        return Task.CompletedTask;
    }
}
