using MassTransit;
using Pipeline.Contracts.Messages;

namespace Pipeline.Host.Ledger;

/// <summary>
/// Publishes an erasure's outcome from what the ledger recorded, then records that it went out. The ledger writes the
/// outcome and marks it unannounced in one transaction, so a node killed between the write and the publish still
/// announces it (at its next start) instead of leaving a Completed erasure no subscriber hears of. A node killed after
/// the broker confirmed the publish but before the mark announces it twice; the copy is built from the same record
/// (same timestamp, same MessageId: <see cref="OutcomeMessageId"/>), so subscribers can drop it.
/// </summary>
public sealed class OutcomeAnnouncer(IErasureLedger ledger, IBus bus)
{
    public async Task AnnounceAsync(Guid requestId)
    {
        var record = ledger.Find(requestId) ?? throw new InvalidOperationException($"erasure {requestId} is not in the ledger {ledger.Location}");
        var messageId = OutcomeMessageId.Of(requestId);
        var node = record.HandledBy ?? "";
        switch (record.State)
        {
            case ErasureState.Completed:
                await bus.Publish(new UnlearningCompleted(requestId, record.SubjectHash, record.Forgetter ?? "", record.Evidence, node, record.UpdatedAt)
                {
                    Summary = record.Transitions.LastOrDefault(t => t.State == ErasureState.Completed)?.Detail,
                }, p => p.MessageId = messageId, CancellationToken.None);
                break;
            case ErasureState.Rejected:
                await bus.Publish(new UnlearningRejected(requestId, record.SubjectHash, record.Reason ?? "", node, record.UpdatedAt),
                    p => p.MessageId = messageId, CancellationToken.None);
                break;
            default:
                throw new InvalidOperationException($"erasure {requestId} is {record.State}: it has no outcome to announce");
        }
        ledger.MarkAnnounced(requestId);
    }
}
