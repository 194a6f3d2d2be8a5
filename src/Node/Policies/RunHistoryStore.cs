using System.Collections.Concurrent;
using Pipeline.Contracts.Messages;
using Pipeline.Contracts.Plugins;

namespace Pipeline.Node.Policies;

/// <summary>
/// Each run's scored epochs and current regularisation strength, as the training policies see them. Held in
/// memory by the node that handles the run's EpochScored endpoint (its concurrency is 1).
/// </summary>
public sealed class RunHistoryStore
{
    private readonly ConcurrentDictionary<Guid, RunState> _runs = new();

    public RunHistory Record(EpochScored scored)
    {
        var state = _runs.GetOrAdd(scored.RunId, _ => new RunState());
        lock (state)
        {
            // A redelivered epoch replaces its earlier copy instead of appearing twice.
            state.Epochs.RemoveAll(e => e.Epoch == scored.Epoch);
            state.Epochs.Add(new EpochMetrics(scored.Epoch, scored.Metrics));
            state.Epochs.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
            return new RunHistory(scored.RunId, state.Epochs.ToList(), state.Lambda);
        }
    }

    public void SetLambda(Guid runId, double lambda)
    {
        var state = _runs.GetOrAdd(runId, _ => new RunState());
        lock (state)
            state.Lambda = lambda;
    }

    private sealed class RunState
    {
        public List<EpochMetrics> Epochs { get; } = [];
        public double Lambda { get; set; }
    }
}
