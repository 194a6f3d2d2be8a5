namespace Pipeline.Node.Hosting;

/// <summary>
/// Work an earlier run of this node recorded durably but did not finish (a crash, a stop): taken up by its
/// <see cref="DurableWorker{T}"/> when the node starts, before anything new.
/// </summary>
public interface IUnfinishedWork<T>
{
    /// <summary>Puts what is left back on the worker's queue (and finishes any half-done bookkeeping first).</summary>
    Task TakeUpAsync(WorkQueue<T> queue, CancellationToken cancellationToken);
}
