using Microsoft.Extensions.Logging;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;

namespace Pipeline.Node.Erasure;

/// <summary>
/// What an earlier run of this node left in the ledger: outcomes written but perhaps not published (announced again, under
/// the same message id), then the erasures it received or claimed and did not finish (queued again).
/// </summary>
public sealed class UnfinishedErasures(IErasureLedger ledger, OutcomeAnnouncer announcer, NodeIdentity node, ILogger<UnfinishedErasures> logger)
    : IUnfinishedWork<Guid>
{
    public async Task TakeUpAsync(WorkQueue<Guid> queue, CancellationToken cancellationToken)
    {
        foreach (var requestId in ledger.Unannounced(node.Name))
        {
            logger.LogWarning("Erasure {RequestId} ended before this node stopped, its outcome perhaps unpublished: announcing it (again)", requestId);
            await announcer.AnnounceAsync(requestId, cancellationToken);
        }
        foreach (var requestId in ledger.PendingFor(node.Name))
            queue.Enqueue(requestId);
    }
}
