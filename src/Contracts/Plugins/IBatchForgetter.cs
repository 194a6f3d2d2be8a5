namespace Pipeline.Contracts.Plugins;

/// <summary>
/// A forgetter that can carry out several erasures in one run — the requests that arrived within the host's batching
/// window (Ledger:BatchWindowSeconds) — for example one retraining without all their subjects instead of one each.
/// Each stage reported applies to every job of the batch; the outcomes come back in the jobs' order, one per job,
/// and each request is audited on its own.
/// </summary>
public interface IBatchForgetter : IForgetter
{
    Task<IReadOnlyList<ForgettingOutcome>> ForgetBatchAsync(IReadOnlyList<ErasureJob> jobs, IProgress<ErasureStage> progress, CancellationToken cancellationToken);
}
