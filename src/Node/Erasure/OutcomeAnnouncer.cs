using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Node.Bus;
using Pipeline.Node.Erasure.Ledger;

namespace Pipeline.Node.Erasure;

/// <summary>
/// Publishes an erasure's outcome from what the ledger recorded, then records that it went out. The ledger writes the
/// outcome and marks it unannounced in one transaction, so a node killed between the write and the publish still
/// announces it (at its next start) instead of leaving a Completed erasure no subscriber hears of. A node killed after
/// the broker confirmed the publish but before the mark announces it twice; the copy is built from the same record
/// (same timestamp, same MessageId: <see cref="OutcomeMessageId"/>), so subscribers can drop it. A broker that is
/// down delays the announcement (PersistentPublisher retries) instead of stopping the erasure processor; a node that
/// stops meanwhile leaves the outcome unannounced in the ledger, for its next start.
/// </summary>
public sealed class OutcomeAnnouncer(IErasureLedger ledger, PersistentPublisher publisher, ILogger<OutcomeAnnouncer> logger)
{
    public async Task AnnounceAsync(Guid requestId, CancellationToken stopping)
    {
        try
        {
            await PublishAsync(requestId, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogWarning("Erasure {RequestId}: outcome recorded, not yet published when the node stopped; it is published at the next start", requestId);
        }
    }

    private async Task PublishAsync(Guid requestId, CancellationToken stopping)
    {
        var record = ledger.Find(requestId) ?? throw new InvalidOperationException($"erasure {requestId} is not in the ledger {ledger.Location}");
        var messageId = OutcomeMessageId.Of(requestId);
        var node = record.HandledBy ?? "";
        switch (record.State)
        {
            case ErasureState.Completed:
                await publisher.PublishAsync(new UnlearningCompleted(requestId, record.SubjectHash, record.Forgetter ?? "", record.Evidence, node, record.UpdatedAt)
                {
                    Summary = record.Transitions.LastOrDefault(t => t.State == ErasureState.Completed)?.Detail,
                }, messageId, stopping);
                break;
            case ErasureState.Rejected:
                await publisher.PublishAsync(new UnlearningRejected(requestId, record.SubjectHash, record.Reason ?? "", node, record.UpdatedAt),
                    messageId, stopping);
                break;
            default:
                throw new InvalidOperationException($"erasure {requestId} is {record.State}: it has no outcome to announce");
        }
        ledger.MarkAnnounced(requestId);
    }
}
