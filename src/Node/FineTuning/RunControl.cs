using System.Collections.Concurrent;
using Pipeline.Contracts.Messages;

namespace Pipeline.Node.FineTuning;

/// <summary>
/// What the bus tells a running run: the policies' verdict on each epoch, manual StopTraining / SetRegularisation
/// commands, the scorers' metrics and their labels, and the compressed checkpoints. The worker reads it on epoch boundaries.
/// </summary>
public sealed class RunControl
{
    private readonly ConcurrentDictionary<Guid, RunSignals> _runs = new();

    public RunSignals For(Guid runId) => _runs.GetOrAdd(runId, _ => new RunSignals());

    public void Forget(Guid runId) => _runs.TryRemove(runId, out _);

    public sealed class RunSignals
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource<EpochReviewed>> _verdicts = new();

        public ConcurrentDictionary<int, IReadOnlyDictionary<string, double>> Metrics { get; } = new();

        /// <summary>The scorers' metric labels, by metric name; a later epoch's label replaces an earlier one's.</summary>
        public ConcurrentDictionary<string, string> MetricLabels { get; } = new(StringComparer.Ordinal);
        public ConcurrentQueue<CheckpointCompressed> Compressed { get; } = new();
        public string? StopRequested { get; set; }
        public double? LambdaRequested { get; set; }

        public Task<EpochReviewed> Verdict(int epoch) => Slot(epoch).Task;

        public void Reviewed(EpochReviewed review) => Slot(review.Epoch).TrySetResult(review);

        private TaskCompletionSource<EpochReviewed> Slot(int epoch) =>
            _verdicts.GetOrAdd(epoch, _ => new TaskCompletionSource<EpochReviewed>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
