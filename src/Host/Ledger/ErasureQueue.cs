using Pipeline.Host.Hosting;

namespace Pipeline.Host.Ledger;

/// <summary>Request ids recorded in the ledger and waiting for this node's erasure processor.</summary>
public sealed class ErasureQueue : WorkQueue<Guid>;
