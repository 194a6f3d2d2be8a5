using Pipeline.Node.Hosting;

namespace Pipeline.Node.Erasure;

/// <summary>Request ids recorded in the ledger and waiting for this node's erasure processor.</summary>
public sealed class ErasureQueue : WorkQueue<Guid>;
