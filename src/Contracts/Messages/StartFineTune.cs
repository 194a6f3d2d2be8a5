namespace Pipeline.Contracts.Messages;

/// <summary>
/// Start (or, redelivered, resume) a governed fine-tuning run. BaseModel is a checkpoint folder or "base" for the
/// locally pretrained tiny model; Dataset a corpus name or a JSONL path. RunsDirectory is where runs/&lt;run-id&gt;/ goes.
/// RunAhead: do not wait for the training policies' verdict on an epoch before starting the next.
/// </summary>
public sealed record StartFineTune(
    Guid RunId,
    string BaseModel,
    string Dataset,
    int Epochs,
    double LearningRate,
    int Seed,
    string Regulariser,
    double Lambda,
    DateTimeOffset Timestamp)
{
    public static readonly IReadOnlyList<string> Regularisers = ["none", "ngram", "goldfish"];
    public static readonly IReadOnlyList<string> Precisions = ["auto", "float32", "bfloat16"];

    public int BatchSize { get; init; } = 16;
    public int ContextLength { get; init; } = 128;
    public int MaxRecords { get; init; } = 1000;
    public string RunsDirectory { get; init; } = "runs";
    public bool RunAhead { get; init; }
    public string Precision { get; init; } = "auto";
    public bool TuneLambda { get; init; }

    /// <summary>Explicit validation records (corpus name or JSONL path); null = hold out a seeded share of Dataset.</summary>
    public string? ValidationDataset { get; init; }
}
