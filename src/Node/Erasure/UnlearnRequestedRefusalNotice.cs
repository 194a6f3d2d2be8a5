using Pipeline.Contracts.Messages;
using Pipeline.Node.Bus;
using Pipeline.Node.Erasure.Ledger;
using Pipeline.Node.Hosting;
using Pipeline.Node.Privacy;

namespace Pipeline.Node.Erasure;

/// <summary>
/// An invalid erasure request is answered with UnlearningRejected, so the data-governance system that sent it learns
/// why instead of waiting. As for unauthenticated requests, a genuine request already in the ledger under that id
/// keeps its own outcome, and the subject is named only by its hash.
/// </summary>
public sealed class UnlearnRequestedRefusalNotice(IErasureLedger ledger, SubjectHasher hasher, NodeIdentity node) : IRefusalNotice<UnlearnRequested>
{
    public object? NoticeFor(UnlearnRequested message, string reason) =>
        message.RequestId == Guid.Empty || ledger.Find(message.RequestId) is not null
            ? null
            : new UnlearningRejected(message.RequestId, hasher.Hash(message.SubjectId ?? ""), $"invalid: {reason}", node.Name, DateTimeOffset.UtcNow);
}
