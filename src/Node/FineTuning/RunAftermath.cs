namespace Pipeline.Node.FineTuning;

/// <summary>
/// Work this node still does for a run after the run itself ended: compressing its best checkpoint and recording the
/// result in its report. Each piece is added before its message is published and marked done when handled, so
/// `finetune` (one process, in-memory bus) can wait for it before it prints the report and exits.
/// </summary>
public sealed class RunAftermath
{
    private readonly Dictionary<Guid, int> _pending = [];
    private readonly Dictionary<Guid, TaskCompletionSource> _settled = [];
    private readonly object _lock = new();

    public void Add(Guid runId)
    {
        lock (_lock)
            _pending[runId] = _pending.GetValueOrDefault(runId) + 1;
    }

    /// <summary>One piece finished; a Done with nothing pending (work another node announced) is ignored.</summary>
    public void Done(Guid runId)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(runId, out var count)) return;
            if (count > 1)
            {
                _pending[runId] = count - 1;
                return;
            }
            _pending.Remove(runId);
            if (_settled.Remove(runId, out var waiter)) waiter.TrySetResult();
        }
    }

    /// <summary>Completes when nothing is pending for any run, or after the limit (false then).</summary>
    public async Task<bool> WaitForAllAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Guid[] pending;
            lock (_lock)
                pending = [.. _pending.Keys];
            if (pending.Length == 0) return true;
            foreach (var runId in pending)
                if (!await WaitAsync(runId, deadline - DateTime.UtcNow, cancellationToken))
                    return false;
        }
    }

    /// <summary>Completes when nothing is pending for the run (at once if nothing is), or after the limit.</summary>
    public async Task<bool> WaitAsync(Guid runId, TimeSpan limit, CancellationToken cancellationToken)
    {
        Task settled;
        lock (_lock)
        {
            if (!_pending.ContainsKey(runId)) return true;
            if (!_settled.TryGetValue(runId, out var waiter))
                _settled[runId] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            settled = waiter.Task;
        }
        try
        {
            await settled.WaitAsync(limit > TimeSpan.Zero ? limit : TimeSpan.Zero, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
