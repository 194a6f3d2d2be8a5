using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts.Messages;
using Pipeline.Host.Hosting;
using Pipeline.Host.Ledger;
using Pipeline.Host.Privacy;

namespace Pipeline.Host.Consumers;

/// <summary>
/// An erasure request arrived: it is written to the ledger before the message is acknowledged (so nothing
/// accepted is lost), then queued for the erasure processor. Erasures are long; running them from the ledger
/// rather than inside the message keeps RabbitMQ's consumer timeout out of the picture. A request id already in
/// the ledger is a redelivery or a duplicate: nothing more happens.
/// </summary>
public sealed class UnlearnRequestedConsumer(IErasureLedger ledger, ErasureQueue queue, SubjectHasher hasher, NodeIdentity node,
    ILogger<UnlearnRequestedConsumer> logger) : IConsumer<UnlearnRequested>
{
    public Task Consume(ConsumeContext<UnlearnRequested> context)
    {
        var request = context.Message;
        var subjectHash = hasher.Hash(request.SubjectId);
        if (!ledger.RecordReceived(request, subjectHash, node.Name))
        {
            logger.LogInformation("Erasure {RequestId} for {SubjectHash} is already in the ledger; duplicate ignored", request.RequestId, subjectHash);
            return Task.CompletedTask;
        }

        logger.LogInformation("Erasure {RequestId} for {SubjectHash} received ({Records} records named)", request.RequestId, subjectHash,
            request.RecordIds?.Count ?? 0);
        queue.Enqueue(request.RequestId);
        return Task.CompletedTask;
    }
}
