using Pipeline.Contracts.Messages;

namespace Pipeline.Contracts.Runs;

/// <summary>
/// The run record: everything the fine-tuning worker knows about a run, kept durably in runs/&lt;run-id&gt;/run.json
/// (snake_case, <see cref="RunFile"/>) after every step, so a run killed mid-way resumes from its last finished epoch
/// and the report can always be rebuilt. This type is the file's schema: the node writes it, plugins read it.
/// </summary>
public sealed class RunRecord
{
    public required StartFineTune Request { get; init; }
    public RunStatus Status { get; set; } = RunStatus.Running;
    public string? BaseModelPath { get; set; }
    public string? DatasetPath { get; set; }
    public string? TrainSample { get; set; }
    public string? HeldOutSample { get; set; }
    public int TrainRecords { get; set; }
    public int ValidationRecords { get; set; }
    public double Lambda { get; set; }

    /// <summary>The regularisers' settings in force (so the run can be retrained the same way when a subject is forgotten).</summary>
    public RegulariserSettings? Regularisation { get; set; }
    public List<EpochRecord> Epochs { get; init; } = [];
    public int? StoppedAtEpoch { get; set; }
    public string? StopReason { get; set; }
    public string? FailureReason { get; set; }

    /// <summary>
    /// The run's end (Completed, Failed or Suspended) is recorded but its FineTuneCompleted / FineTuneFailed has not gone
    /// out yet (the broker was down, or the node stopped first): a redelivered StartFineTune publishes it, once.
    /// </summary>
    public bool OutcomePending { get; set; }

    /// <summary>
    /// The node (Node:Name) that recorded the run or last trained it: when that node starts again it takes up the run by
    /// itself (the node's UnfinishedRuns) if it was left running. Null in run.json files from before it existed.
    /// </summary>
    public string? Node { get; set; }

    /// <summary>
    /// An epoch a shutdown interrupted at a step boundary when the stop grace ran out: its trainer state lies in
    /// Folder (RUN/checkpoints/epoch-N.partial) and the run goes on from its next step. Null once that epoch is finished.
    /// </summary>
    public PartialEpochRecord? PartialEpoch { get; set; }
    public List<CompressedRecord> Compressed { get; init; } = [];

    /// <summary>
    /// Readable labels of the epochs' metrics, by metric name (for example a cluster's top terms for
    /// verbatim_rate@cluster_1), run-wide: the scorers that give them describe the same thing every epoch. Empty in
    /// run.json files written before labels existed.
    /// </summary>
    public Dictionary<string, string> MetricLabels { get; init; } = [];

    public int LastCompletedEpoch => Epochs.Count == 0 ? 0 : Epochs.Max(e => e.Epoch);

    /// <summary>
    /// The checkpoint the run keeps: lowest validation loss — among the epochs before the one a policy stopped at, when
    /// one did (memorisation had begun by then), else among all.
    /// </summary>
    public EpochRecord? Best
    {
        get
        {
            var candidates = StoppedAtEpoch is { } stopped && Epochs.Any(e => e.Epoch < stopped)
                ? Epochs.Where(e => e.Epoch < stopped)
                : Epochs;
            return candidates.MinBy(e => e.ValLoss);
        }
    }
}

public enum RunStatus
{
    Running,
    Completed,
    Failed,

    /// <summary>Stopped for a condition of the node, not of the run (checkpoint storage full): a redelivered StartFineTune resumes it.</summary>
    Suspended,
}

/// <summary>Where an interrupted epoch stands (see RunRecord.PartialEpoch).</summary>
public sealed class PartialEpochRecord
{
    public required string Folder { get; init; }
    public required EpochPart Part { get; init; }
}

/// <summary>One finished epoch. EventsPublished: its EpochCompleted/CheckpointSaved went out (never twice on resume).</summary>
public sealed class EpochRecord
{
    public int Epoch { get; init; }
    public double TrainLoss { get; init; }

    /// <summary>Token-weighted mean of the regulariser's term over the epoch (0 without one), before λ.</summary>
    public double RegularisationLoss { get; init; }
    public double ValLoss { get; init; }
    public double Lambda { get; init; }
    public double Seconds { get; init; }
    public long Tokens { get; init; }
    public required CheckpointReference Checkpoint { get; init; }
    public bool EventsPublished { get; set; }
    public Dictionary<string, double> Metrics { get; init; } = [];
}

public sealed record CompressedRecord(string Method, string Path, double Ratio, double? ValPpl)
{
    public static CompressedRecord Of(CheckpointCompressed compressed) =>
        new(compressed.Method, compressed.Compressed.Path, compressed.Ratio, compressed.Metrics.TryGetValue("val_ppl", out var ppl) ? ppl : null);
}
